"""The WeCom app's admin list (agent/get_admin_list, on the fake WeCom API) says who is an admin for the
智能机器人's messages too, on the long connection and in webhook mode, when the app's secret is set."""
from __future__ import annotations

import json

import pytest

from bot.app import create_app
from bot.config import Settings, WeComBotSettings, WeComSettings
from bot.wecom_longconn import start_for
from tests.fake_wecom_ws import FakeWeComWs
from tests.servers import FakeWeComApi, serving, wait_until
from tests.test_wecom import CORP, SCHOOL, SECRET, with_sample_plan
from tests.test_wecom_bot_webhook import KEY, TOKEN, Bot, FakeResponseUrl, bot_idle

BOT_ID, BOT_SECRET = "aibot-qinghe", "aibot-secret-value"
BOSS = "li-admin"
NOT_ADMIN = "只有管理员可以修改提醒设置"


@pytest.fixture
def database(sqlite_database_prepared):
    return sqlite_database_prepared(with_sample_plan)


@pytest.fixture
def api():
    fake = FakeWeComApi(CORP, SECRET)
    fake.admins = [BOSS]
    with serving(fake.app) as url:
        yield fake, url


def app_settings(api_url: str, secret: str = SECRET) -> WeComSettings:
    return WeComSettings(corp_id=CORP, agent_id="1000002", secret=secret, api_base=api_url)


@pytest.mark.parametrize("secret, boss_is_admin", [(SECRET, True), ("", False)])
def test_on_the_long_connection(database, api, secret, boss_is_admin):
    _, api_url = api
    ws = FakeWeComWs(BOT_ID, BOT_SECRET)
    settings = Settings(school=SCHOOL, wecom=app_settings(api_url, secret),
                        wecom_bot=WeComBotSettings(bot_id=BOT_ID, secret=BOT_SECRET, ws_url=ws.url))
    holder = start_for(create_app(settings, database))
    try:
        assert wait_until(lambda: holder.connection is not None)
        boss = ws.push_text("@校务助手 提醒设置 周报 8:00", msgid="boss-1", userid=BOSS)
        teacher = ws.push_text("@校务助手 提醒设置 周报 9:00", msgid="teacher-1", userid="zhao-teacher", chatid="wrk-group-2")
        ws.wait_for_replies(2)
        answers = {f["headers"]["req_id"]: f["body"]["stream"]["content"] for f in ws.replies}
        assert ("已更新" in answers[boss]) is boss_is_admin and (NOT_ADMIN in answers[boss]) is not boss_is_admin
        assert NOT_ADMIN in answers[teacher]
    finally:
        holder.stop()
        ws.close()


def test_in_webhook_mode(database, api):
    _, api_url = api
    response_url = FakeResponseUrl()
    with serving(response_url.app) as fake_url:
        settings = Settings(school=SCHOOL, wecom=app_settings(api_url),
                            wecom_bot=WeComBotSettings(mode="webhook", token=TOKEN, encoding_aes_key=KEY, response_url_base=fake_url))
        app = create_app(settings, database)
        with serving(app) as app_url:
            bot = Bot(app, app_url, fake_url, response_url, settings, database)
            for msg_id, sender in (("boss-1", BOSS), ("teacher-1", "zhao-teacher")):
                plain = bot.message("@校务助手 提醒设置 周报 8:00", msg_id=msg_id, **{"from": {"userid": sender}})
                assert bot.post(json.dumps(plain, ensure_ascii=False)).status_code == 200
            answers = {a["code"]: a["body"]["markdown"]["content"] for a in bot.answers(2)}
            bot_idle(app)
    assert "已更新" in answers["code-boss-1"] and NOT_ADMIN in answers["code-teacher-1"]
