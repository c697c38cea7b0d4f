"""Subject and grade groups named in running prose (数学教研组开展…, 初二年级组召开…) are read whole as
owners, several owners are kept together, and the ordinary words made with 组 name no one."""
from __future__ import annotations

from datetime import date

import pytest

from bot.people.roles import owner_parts
from bot.plan.extract import ExtractOptions, extract_plan
from bot.plan.owners import find_owner
from bot.plan.reading import read_plan_bytes


@pytest.mark.parametrize("text, owner", [
    ("数学教研组开展“说题”比赛", "数学教研组"),
    ("初二年级组召开学困生转化座谈会", "初二年级组"),
    ("物理组提交分组实验器材清单", "物理组"),
    ("三年级语文备课组完成单元作业设计", "三年级语文备课组"),
    ("英语备课组长收齐听课笔记", "英语备课组长"),
    ("七年级组安排期中家长开放日", "七年级组"),
    ("5年级组开展数学口算达标", "5年级组"),
    ("高三年级组长会议", "高三年级组长"),
    ("道德与法治组集体研读新教材", "道德与法治组"),
    ("信息技术组检修计算机教室", "信息技术组"),
    ("地理学科组开展乡土地理考察", "地理学科组"),
    ("化学高二备课组研讨选考复习", "化学高二备课组"),
    ("音体美组筹备校园艺术节", "音体美组"),
    ("初一年级语文组开展名著共读", "初一年级语文组"),
    ("本周三数学教研组组织推门听课", "数学教研组"),
])
def test_a_group_in_prose_is_read_whole(text, owner):
    assert find_owner(text) == owner


@pytest.mark.parametrize("text, owner", [
    ("体育组、德育处组织冬季长跑比赛", "体育组、德育处"),    # the owners before the lead verb, together
    ("由美术组和音乐组负责艺术节布展", "美术组、音乐组"),
    ("语文组、数学组联合开展跨学科主题学习", "语文组、数学组"),
    ("初一年级组长与班主任一起家访", "初一年级组长、班主任"),
    ("生物、化学备课组共同研讨实验教学", "生物备课组、化学备课组"),   # one group word shared by a list
    ("高一、高二备课组交流选课走班经验", "高一备课组、高二备课组"),
    ("2．一、二年级组开展拼音闯关游戏", "一年级组、二年级组"),
    ("年级组、教研组、课题组分别制订计划", "年级组、教研组"),     # 课题组 names no subject or grade
])
def test_several_owners_stay_together(text, owner):
    assert find_owner(text) == owner


@pytest.mark.parametrize("text, owner", [
    ("二、六年级组毕业典礼筹备", "六年级组"),          # 二、 numbers the part
    ("星期一、二年级组进行视力筛查", "二年级组"),      # 星期一 is the day
])
def test_numbering_and_weekdays_are_no_listed_grades(text, owner):
    assert find_owner(text) == owner


@pytest.mark.parametrize("text", [
    "课堂上推行小组合作学习",
    "各班学生分组进行趣味接力",
    "组织学生参观科技馆",
    "组建教师合唱团",
    "评委组现场打分",
    "期末数学组卷要求难易适中",
    "一年级语文组词比赛",
    "探索新的教研组织形式",
    "科学组织一次观察日记评比",
    "航模兴趣小组组织试飞",
])
def test_ordinary_words_with_zu_name_no_one(text):
    assert find_owner(text) is None


@pytest.mark.parametrize("text, owner", [
    ("9月5日由教科室负责课题申报", "教科室"),             # not "月由教科室"
    ("周五由后勤服务中心负责饮水机消毒", "后勤服务中心"),   # a unit outside the lists, not "五由后勤服务中心"
    ("10月由初三年级组牵头中考动员", "初三年级组"),
])
def test_the_unit_before_a_lead_verb_is_read_without_the_words_before_it(text, owner):
    assert find_owner(text) == owner


@pytest.mark.parametrize("text, owner", [
    ("教务处安排期中考试监考", "教务处"),
    ("各班主任填写学生成长手册", "班主任"),
    ("各年级组织春季研学", "年级组"),                       # a grade's own doing, as before
    ("提交安全台账（负责人：李明）", "李明"),
    ("卫生检查评比（张）", "张"),
])
def test_what_was_read_right_stays(text, owner):
    assert find_owner(text) == owner


def test_the_roster_reads_the_groups_the_extractor_gives():
    parts = owner_parts(find_owner("体育组、德育处组织冬季长跑比赛"))
    assert [(p.name, p.group) for p in parts] == [("体育组", True), ("德育处", False)]
    grade = owner_parts(find_owner("初二年级组召开学困生转化座谈会"))
    assert [(p.grade, p.group) for p in grade] == [("初二", True)]


def test_a_plan_line_carries_its_group_as_owner():
    plan = "青柳中学2030-2031学年第一学期教学工作计划\n一、教研工作\n1．10月16日，数学教研组开展同课异构。\n" \
           "2．11月上旬，初二年级组召开期中质量分析会。\n3．12月10日前，体育组、德育处组织冬季长跑比赛。\n"
    items = extract_plan(read_plan_bytes(plan.encode(), "plan.txt", 1024 * 1024), ExtractOptions()).items
    assert [(i.start, i.owner) for i in items] == [
        (date(2030, 10, 16), "数学教研组"), (date(2030, 11, 1), "初二年级组"), (date(2030, 12, 10), "体育组、德育处")]
