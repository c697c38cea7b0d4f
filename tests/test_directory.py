"""People from the platforms: DingTalk's and WeCom's contact directories (fake servers on 127.0.0.1),
and WeCom's app admin list deciding who may report for others."""
from __future__ import annotations

import pytest
import requests

from bot.app import create_app
from bot.config import DingTalkSettings, SchoolSettings, Settings, WeComSettings
from bot.members import DirectoryError, import_roster_file, sync_directory
from bot.plan_import import import_file
from storage import people, plans
from tests import test_wecom as wecom
from tests.servers import FakeDingTalkOpenApi, FakeWeComApi, serving
from tests.test_status import PLAN, ROSTER, TERM


def members(db) -> dict[str, people.MemberRow]:
    return {m.name: m for m in people.load_members(db, plans.ensure_school(db, "青禾小学"))}


def test_dingtalk_directory_through_dingtalk_sdk(sqlite_database, tmp_path):
    fake = FakeDingTalkOpenApi("ding-app", "app-secret", "ding-app")
    fake.departments = [{"id": 2, "name": "教务处", "parentid": 1}, {"id": 3, "name": "三年级组", "parentid": 1}]
    fake.users = {
        1: [{"userid": "u-head", "name": "校长", "mobile": "13900000000", "position": "校长"}],
        2: [{"userid": "u-zhao", "name": "赵敏", "mobile": "13800000003", "position": "教务主任"}],
        3: [{"userid": f"u-{i}", "name": f"老师{i:03d}", "position": "三年级班主任"} for i in range(130)],   # two pages
    }
    roster = tmp_path / "名单.csv"
    roster.write_text("姓名,部门,手机,管理员\n赵敏,教务处,13800000003,是\n", encoding="utf-8")
    with serving(fake.app) as url:
        settings = Settings(school=SchoolSettings(name="青禾小学"),
                            dingtalk=DingTalkSettings(app_key="ding-app", app_secret="app-secret", oapi_base=url, api_base=url))
        import_roster_file(roster, settings, sqlite_database)
        result = sync_directory("dingtalk", settings, sqlite_database, requests.Session())
        assert (result.added, result.updated, result.roles) == (131, 1, 130)
        found = members(sqlite_database)
        assert found["赵敏"].dingtalk_user_id == "u-zhao" and found["赵敏"].is_admin      # matched by mobile; roster's mark kept
        assert found["老师129"].department == "三年级组" and found["老师129"].roles == (people.RoleRow("班主任", "三年级"),)
        assert found["校长"].roles == ()
        again = sync_directory("dingtalk", settings, sqlite_database, requests.Session())
        assert (again.added, again.updated) == (0, 132)
        wrong = Settings(school=settings.school, dingtalk=DingTalkSettings(app_key="ding-app", app_secret="nope", oapi_base=url))
        with pytest.raises(DirectoryError, match="通讯录只读权限") as refused:
            sync_directory("dingtalk", wrong, sqlite_database, requests.Session())
        assert "nope" not in str(refused.value)


def test_wecom_directory(sqlite_database):
    fake = FakeWeComApi(wecom.CORP, wecom.SECRET)
    fake.departments.append({"id": 5, "name": "德育处", "parentid": 1})
    fake.users = [{"userid": "wx-qian", "name": "钱老师", "department": [1, 5], "position": "四年级班主任"},
                  {"userid": "wx-sun", "name": "孙老师", "department": [1]}]
    with serving(fake.app) as url:
        settings = Settings(school=SchoolSettings(name="青禾小学"),
                            wecom=WeComSettings(corp_id=wecom.CORP, secret=wecom.SECRET, agent_id="1000002", api_base=url))
        result = sync_directory("wecom", settings, sqlite_database, requests.Session())
    assert (result.added, result.roles) == (2, 1)
    found = members(sqlite_database)
    assert found["钱老师"].department == "德育处" and found["钱老师"].wecom_user_id == "wx-qian"
    assert found["孙老师"].department is None


def test_a_wecom_app_admin_may_report_for_others(sqlite_database, tmp_path):
    fake = FakeWeComApi(wecom.CORP, wecom.SECRET)
    fake.admins = ["wx-boss"]
    (tmp_path / "计划.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
    with serving(fake.app) as url:
        settings = Settings(school=SchoolSettings(name="青禾小学", terms=(TERM,)),
                            wecom=WeComSettings(corp_id=wecom.CORP, agent_id="1000002", secret=wecom.SECRET, token=wecom.TOKEN,
                                                encoding_aes_key=wecom.KEY, api_base=url))
        import_file(tmp_path / "计划.txt", settings, sqlite_database)
        import_roster_file(tmp_path / "名单.csv", settings, sqlite_database)
        visits = next(t.number for t in plans.list_tasks(sqlite_database, 1) if "家访" in t.title)
        with serving(create_app(settings, sqlite_database)) as app_url:
            def say(sender: str, text: str, msg_id: str) -> str:
                response = wecom.post(app_url, wecom.message_xml(text, msg_id=msg_id, sender=sender))
                return wecom.open_reply(response).findtext("Content")
            assert "只能上报自己的进度" in say("wx-wang", f"完成 {visits} 李强", "7001")
            assert "已记录：李强" in say("wx-boss", f"完成 {visits} 李强", "7002")
