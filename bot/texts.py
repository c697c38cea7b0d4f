"""Every word a teacher or the office sees, in one place."""
from __future__ import annotations

from datetime import date, timedelta

from bot.task_dates import dated_range, recurrence_of
from bot.timegrammar.recurrence import Recurrence

RECURRENCE_WORDS = {
    "daily": "每天", "weekly": "每周", "biweekly": "两周一次", "monthly": "每月", "monthly:start": "每月初",
    "monthly:end": "每月底前", "termly": "每学期", "yearly": "每学年", "quarterly": "每季度",
}
WEEKDAY_WORDS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ANCHOR_WORDS = {
    "term_start": "开学初", "midterm": "期中", "term_end": "期末", "year_end": "学年末", "summer": "暑假", "winter": "寒假",
}

IMPORT_DONE = "已导入《{name}》（{school_year}）：共 {total} 项，新增 {added} 项，保留 {kept} 项，撤下 {withdrawn} 项。"
IMPORT_EMPTY = "已导入《{name}》，但没有找到任何带日期、周期或学期节点的事项，未排入任务。"
SAMPLE_SKIPPED = "数据库里已有计划，没有再导入示例计划（办公室的修改保持不变）。"
ERROR_PREFIX = "错误："
UNKNOWN_YEAR = "学年未知"


def describe_recurrence(recurrence: Recurrence) -> str:
    if recurrence.weekdays:
        return "每" + "、".join(WEEKDAY_WORDS[d] for d in recurrence.weekdays)
    if recurrence.by_day is not None:
        return f"每月{recurrence.by_day}日前"
    return RECURRENCE_WORDS.get(recurrence.code, recurrence.code)


def describe_dates(start: date, end: date | None) -> str:
    end = end or start
    if start == end:
        return f"{start.month}月{start.day}日"
    if start.day == 1 and _is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}月–{end.year}年{end.month}月"
    return f"{start.month}月{start.day}日–{end.month}月{end.day}日"


def describe_when(start: date | None, end: date | None, recurrence: str | None, anchor: str | None, week: int | None) -> str:
    """A stored task's or a plan item's time, from its fields as kept (the rhythm as its code)."""
    parts = []
    if start is not None:
        parts.append(describe_dates(start, end))
    elif week is not None:
        parts.append(f"第{week}周")
    if recurrence:
        rhythm = Recurrence.parse(recurrence)
        parts.append(describe_recurrence(rhythm) if rhythm else recurrence)   # a newer version's code: as written
    if anchor and start is None:
        parts.append(ANCHOR_WORDS.get(anchor, anchor))
    return " ".join(parts) or "未定时间"


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


# --- chat answers -----------------------------------------------------------
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
SPAN_TITLE = "{span}{topic}的任务"
ROUTINE = "例行事项"
NOTHING_IN_SPAN = "{title}：没有安排。"
NEXT_UP = "下一项：{line}"
KEYWORD_TITLE = "“{keyword}”相关的任务"
NOTHING_FOR_KEYWORD = "没有找到与“{keyword}”有关的任务。可以换个说法，或发“帮助”看看怎么问。"
MORE_IN_GROUP = "……另有 {count} 项{ask}"
ASK_DAY = "，发“{day}有什么”查看"
ASK_MONTH = "，发“{month}月有什么”查看"
ASK_ROUTINE = "，发“例行”查看"
THIS_TERM = "本学期内完成"
ROUTINE_SUMMARY = "另有 {count} 项例行工作（{kinds}），发“例行”查看。"
ROUTINE_TITLE = "例行工作"
ROUTINE_NONE = "当前没有在执行的例行工作。"
RHYTHM_WORDS = {"daily": "每天", "weekly": "每周", "biweekly": "两周一次", "monthly": "每月", "termly": "每学期",
                "yearly": "每学年", "quarterly": "每季度"}
TOPIC_MISSING = "没有找到与“{keyword}”有关的安排，下面是{span}的全部安排。"
TOPIC_NEAREST = "没有完全对得上“{keyword}”的任务，最接近的是："
DUE_TITLE = "{span}{topic}要截止的任务"
DUE_ON = "{day} 截止"
NOTHING_DUE = "{span}没有要截止的任务。"
WEEK_NUMBER = "{day}是{term}第 {week} 周（{monday}–{sunday}）。"
WEEK_NUMBER_BEFORE = "{term}还没开学，{start}开学。"
WEEK_NUMBER_BREAK = "{day}不在学期内（假期中）。"
WEEK_NUMBER_UNKNOWN = "还没有设置学期的起止日期，算不出第几周。请教务处在管理页面或 config.yaml 里填写学期。"
WEEK_NUMBER_TITLE = "第几周"
TERM_DATES_TITLE = "学期安排"
TERM_LINE = "- **{name}**：{start} 开学 – {end} 结束，共 {weeks} 周"
TERM_EXAMS = "- 期中约 {midterm}，期末约 {final}"
BREAK_LINE = "- **{name}**：{dates}"
BREAK_FROM = "{day}起"
WINTER_BREAK = "寒假"
SUMMER_BREAK = "暑假"
MORE_HIDDEN = "……还有 {count} 项没有显示。可以缩小时间范围（如“下周三有什么”）或加上部门、关键词（如“本周教务处有什么任务”）。"
HELP_TITLE = "使用帮助"
HELP = """#### 校务助手可以这样用
**查任务**
- 本周有什么任务 / 下周有什么安排 / 明天有什么
- 下周三有什么活动 / 10月份有哪些活动 / 9月20日到10月10日有什么
- 本周教务处有什么任务 / 这个月德育有什么安排
- 运动会什么时候 / 班主任费什么时候算
- 这周有什么要交的 / 现在是第几周 / 例行（全部例行工作）
**报进度**（每项任务前的编号，如 #12）
- 完成 12 / 12 进行中 / 12 有困难，缺少场地 / 撤销 12
- 12 进度：看谁已完成、谁还没有
**提醒**
- 提醒设置：看本群的提醒时间
- 管理员：开启提醒 / 关闭提醒 / 提醒设置 周报 8:00 / 提醒设置 前一天 关"""
UNKNOWN_TITLE = "没太明白"
UNKNOWN = "没太明白您的意思。可以问“本周有什么任务”“下周三有什么活动”，或发“帮助”查看全部用法。"


def describe_range_heading(start: date, end: date) -> str:
    """A heading for items covering a range: "10月（全月）", "10月12日–10月16日"."""
    if start.day == 1 and _is_month_end(end) and (start.year, start.month) == (end.year, end.month):
        return f"{start.month}月（全月）"
    return describe_dates(start, end)


def rhythm_word(recurrence: Recurrence) -> str:
    return RHYTHM_WORDS.get(recurrence.kind, recurrence.kind)


def describe_day(day: date) -> str:
    return f"{day.month}月{day.day}日 {WEEKDAY_NAMES[day.weekday()]}"


def describe_span(first: date, last: date, today: date) -> str:
    monday = today - timedelta(days=today.weekday())
    names = {
        (today, today): "今天", (today + timedelta(days=1),) * 2: "明天",
        (monday, monday + timedelta(days=6)): "本周", (monday + timedelta(days=7), monday + timedelta(days=13)): "下周",
    }
    if (first, last) in names:
        return f"{names[(first, last)]}（{describe_dates(first, last)}）"
    if first == last:
        return describe_day(first)
    return describe_dates(first, last)


def task_line(task, with_dates: bool = False, term=None, tally: str | None = None) -> str:
    when = ""
    if with_dates:
        covered = dated_range(task, term)
        when = describe_when(task.start, task.end, task.recurrence, task.term_anchor, task.week)
        if task.start is None and covered is not None:
            when += f"（{describe_dates(*covered)}）"
        when += " "
    owner = f"（{task.owner}）" if task.owner else ""
    progress = f" · {tally}" if tally else ""
    return f"- #{task.number} {when}{task.title}{owner}{progress}"


def routine_line(task) -> str:
    owner = f"（{task.owner}）" if task.owner else ""
    return f"- {describe_recurrence(recurrence_of(task))}：#{task.number} {task.title}{owner}"

ONBOARD_TITLE = "请先绑定学校"
ONBOARD = "本群还没有绑定学校。请管理员发送“绑定学校 学校名称”，例如：绑定学校 {example}"
LINK_TITLE = "绑定学校"
LINK_DONE = "已将本群绑定到“{school}”。现在可以问“本周有什么任务”。"
LINK_NOT_ADMIN = "只有管理员可以绑定学校，请联系学校的管理员。"
LINK_UNKNOWN = "没有找到“{name}”。已有的学校：{schools}"

# --- reminders --------------------------------------------------------------
REMIND_EVE = "明天（{day}）：{line}"
REMIND_MORNING = "今天（{day}）：{line}"
REMIND_DEADLINE = "还有 {days} 天截止（{end}）：{line}"
REMIND_RECURRING = "今天（{day}）例行：{line}"
REMIND_MISSED_TITLE = "离线期间的提醒"
REMIND_MISSED = "校务助手离线期间，有 {count} 条提醒没能按时发出。发送“本周有什么任务”可以查看近期安排。"
REMIND_TITLE = "校务提醒"
REMIND_CHASE_TITLE = "今天截止"
REMIND_CHASE = "今天截止：{line}\n当前 {tally}。还没有上报的：{names}\n完成后请回复“完成 {number}”。"
REMIND_ALERT_TITLE = "提醒发送失败"
REMIND_ALERT = "群“{group}”的机器人多次推送失败，今天的提醒没能送达。请检查该群机器人的 webhook 地址和加签设置。"

# --- reminder settings in chat ----------------------------------------------------------
SETTINGS_TITLE = "提醒设置"
SETTINGS_HEADER = "#### {group}的提醒设置"
SETTINGS_VIA_WEBHOOK = "（通过群机器人 webhook 推送）"
SETTINGS_VIA_ROBOT = "（通过钉钉应用机器人推送）"
SETTINGS_OFF_HERE = "本群目前不接收提醒。管理员发送“开启提醒”即可开启。"
SETTINGS_EXAMPLES = "修改示例：提醒设置 周报 8:00；提醒设置 前一天 关；提醒设置 截止 5,2,1；提醒设置 免打扰 22:00-6:30"
SETTINGS_UPDATED = "已更新。"
SETTINGS_NOT_ADMIN = "只有管理员可以修改提醒设置。发送“提醒设置”可以查看当前设置。"
SETTINGS_UNKNOWN = "没看懂要改哪一项。可以改：周报、前一天、当天、截止、例行、催报、免打扰、提醒（开/关）。\n" + SETTINGS_EXAMPLES
SETTINGS_BAD_VALUE = "没有修改。{problem}"
SETTINGS_NO_GROUP = "请指明群名，例如：提醒设置 全体教师群 周报 8:00。已有的群：{groups}"
SETTINGS_WECOM_GROUP = ("企业微信的群请添加“群机器人”，把它的 webhook 地址写进配置文件的 groups 中；"
                        "之后可以用“提醒设置 群名 …”修改它的提醒。")
SETTINGS_ROBOT_UNCONFIGURED = ("还不能通过应用机器人往群里推送：配置文件中缺少 dingtalk.app_key / app_secret。"
                               "请联系学校的 IT 管理员，或改用群自定义机器人的 webhook。")

# --- status by reply ----------------------------------------------------------------------
STATUS_WORDS = {"done": "已完成", "doing": "进行中", "blocked": "有困难", "todo": "已撤销"}
STATUS_VERBS = {"done": "完成", "doing": "进行中", "blocked": "有困难", "todo": "撤销"}
NOT_REPORTED = "未上报"
REPORT_TITLE = "进度上报"
REPORT_DONE = "已记录：{who} #{number} {title} → {state}{note}。"
REPORT_TALLY = "当前 {tally}。"
REPORT_NOT_YOURS = "未记录：{who}不在 #{number} 的负责人中（负责：{owner}）。"
YOU = "您"
REPORT_ONLY_OWN = "未记录：只能上报自己的进度；管理员可以替他人上报。"
REPORT_WHO = "未记录：还不知道您是名单里的哪一位。请在钉钉或企业微信群里发送，或由管理员导入教师名单。"
REPORT_NAME_UNKNOWN = "名单里没有“{name}”，没有记录。为自己上报请只发“完成 12”这样的编号和状态。"
REPORT_NAMESAKES = "未记录：名单里有 {count} 位“{name}”，请 @ 这位老师，或由他本人上报。"
TASK_UNKNOWN_NUMBER = "没有编号为 #{number} 的任务。发“本周有什么任务”可以查看任务编号。"
TASK_UNKNOWN_TITLE = "没有找到名称含“{words}”的任务。可以发“完成 编号”，编号见“本周有什么任务”。"
WHICH_TASK = "请问是哪一项？请回复“{verb} 编号”："
WHICH_TASK_NONE = "请问是哪一项任务？请回复“{verb} 编号”，编号见“本周有什么任务”。"
MORE_CANDIDATES = "……还有 {count} 项"
PROGRESS_TITLE = "#{number} {title} 进度"
PROGRESS_OWNER = "负责：{owner}"
PROGRESS_NOBODY_YET = "还没有人上报。"
PROGRESS_OPEN = "（名单中没有找到这项任务的负责人，以上为所有上报者。）"
MINE_TITLE = "我的任务"
MINE_NONE = "您负责的近期任务都已完成，或名单里还没有您的角色。"
MINE_UNKNOWN_SENDER = "还不知道您是名单里的哪一位。请在钉钉或企业微信里问我。"
MINE_HINT = "完成后回复“完成 编号”即可。"
OVERDUE = "（已过期）"
ROSTER_DONE = "名单已导入：共 {total} 人（新增 {added}，更新 {updated}），角色 {roles} 个。"
EXPORT_DONE = "已写入 {path}：{tasks} 项任务 × {people} 人。"
DIRECTORY_DONE = "通讯录已同步：共 {total} 人（新增 {added}，更新 {updated}），从职位读出角色 {roles} 个。"
STEP_FAILED_TITLE = "出错了"
STEP_FAILED = "出错了，请稍后再试"
