"""`python -m bot chat --as 姓名`: the terminal speaks as a roster member, against a real SQLite file."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.cli import cli

PLAN = """柳溪中学2031-2032学年第一学期工作计划

一、教学常规
1. 10月24日前，完成古诗文诵读展示方案（负责：语文组）。
2. 10月28日，开展一次同课异构（负责：数学教研组）。
"""
ROSTER = """姓名,角色,学科,钉钉userId,企业微信userid,手机,管理员
周岚,语文教研组长,语文,dt-zhou,,,
吴桐,班主任,语文,,wx-wu,,
郑航,,数学,dt-zheng,,,
陶然,,,dt-tao,,,是
林木,,语文,,,13900000001,
林木,,数学,,,13900000002,
"""
TODAY = "2031-10-20"


@pytest.fixture
def bot(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"database: {{url: 'sqlite:///{tmp_path / 'bot.db'}'}}\n"
                      "school: {name: 柳溪中学, terms: [{name: 第一学期, start: 2031-09-01, end: 2032-01-16}]}\n",
                      encoding="utf-8")
    runner = CliRunner()   # click 8.2: stdout and stderr apart

    def run(*args, input=None):
        return runner.invoke(cli, [*args, "--config", str(config)], input=input, catch_exceptions=False)

    (tmp_path / "计划.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
    assert run("plan", "import", str(tmp_path / "计划.txt")).exit_code == 0
    assert run("members", "import", str(tmp_path / "名单.csv")).exit_code == 0
    return run


def chat(bot, *lines, who=None):
    args = ("chat", "--today", TODAY) + (("--as", who) if who else ())
    return bot(*args, input="".join(f"{line}\n" for line in lines))


def test_reports_and_my_tasks_as_a_member_named_by_name(bot):
    assert "还不知道您是名单里的哪一位" in chat(bot, "完成 1").stdout    # the OS user is on no roster
    result = chat(bot, "我的任务", "完成 1", "我的任务", who="吴桐")
    assert result.exit_code == 0, result.stderr
    first, done, after = result.stdout.split("\n\n")[:3]
    assert "古诗文" in first and "同课异构" not in first
    assert "已记录：吴桐 #1" in done and "1/1 已完成" in done
    assert "古诗文" not in after
    assert "语文组（吴桐）" in chat(bot, "1 进度", who="周岚").stdout


def test_a_member_named_by_platform_id_or_number_and_the_permission_follows(bot):
    refused = chat(bot, "完成 1", who="dt-zheng").stdout        # 郑航 teaches 数学, 1 is 语文组's
    assert "未记录：您不在 #1 的负责人中（负责：语文组）" in refused
    assert "已记录：周岚" in chat(bot, "完成 1", who="dt-zhou").stdout
    assert "已记录：吴桐" in chat(bot, "撤销 1", who="wx-wu").stdout


def test_acting_as_a_teacher_has_the_teachers_rights_not_the_terminals(bot):
    assert "只能上报自己的进度" in chat(bot, "完成 1 周岚", who="吴桐").stdout
    assert "已记录：周岚" in chat(bot, "完成 1 周岚", who="陶然").stdout   # marked 管理员 in the roster
    assert "已记录：吴桐" in chat(bot, "完成 1 吴桐").stdout     # without --as the terminal is an admin, as before


def test_unknown_and_ambiguous_names_are_refused_with_a_way_to_find_them(bot):
    unknown = chat(bot, "我的任务", who="王五")
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert "名单里没有“王五”" in unknown.stderr and "python -m bot members list" in unknown.stderr
    twins = chat(bot, "我的任务", who="林木")
    assert twins.exit_code == 1 and "2 位“林木”" in twins.stderr
    listed = bot("members", "list").stdout
    number = next(line.split("\t")[0] for line in listed.splitlines() if "林木" in line and "数学" in line)
    assert "同课异构" in chat(bot, "我的任务", who=number).stdout
