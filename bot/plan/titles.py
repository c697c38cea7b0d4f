"""Titles a teacher understands alone: the activity and its object, without list numbers,
times of day, filler verbs, counts or trailing clauses ("安全情况上报", not "做到一周一上报")."""
from __future__ import annotations

import re

TITLE_LIMIT = 40
TITLE_CLAUSES_UP_TO = 26   # a longer title is cut back to its first clauses
COMPACT_OVER = 20          # a title longer than this loses who organises whom

# "1." before a digit only when a month follows ("1.10月13日"), so "1.2节" stays whole.
NUMBERING = re.compile(
    r"^\s*(?:[（(]?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[）)]|\d{1,2}\s*(?:、|[.．](?:(?!\d)|(?=\d{1,2}\s*月)))"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]|[①-⑳])\s*"
)
LEADING_FILLER = re.compile(
    r"^(?:[、，,：:\s]|并|和|及|与|的|于|在|要(?!求)|要求(?=\S{6})|将|坚持|继续|同时|另外|此外|还|利用|保障|保证|确保|即|之?前|以前|进行的|"
    r"请(?!假)|认真|积极|切实|扎实|努力|及时|进一步|全面(?=[做开抓落])|做到|为|进行(?!中)|至少|不少于|最少)+"
)
# "开展一次学科素养评价", "举行两次研讨活动": the count is the frequency's business, not the title's.
COUNTED_VERB = re.compile(r"^(?:(?:开展|举行|组织|进行|举办|搞|安排|召开)\s*)?[一二两三四五六七八九十\d]+\s*(?:次|轮|场|期)(?:的)?(?=\S{2})")
TRAILING_COUNT = re.compile(r"\s*(?:不少于|至少|最少)?\s*[一二两三四五六七八九十\d]+\s*(?:次|回|遍)$")
# Light verbs and adverbs that frame the activity without naming it: "规范期中测试", "适时开展安全演练".
FRAMING = re.compile(r"^(?:组织好|办好|搞好|规范|落实好?的?|实施|适时|定期|按时|统一|认真|继续)(?=\S{3})")
TRAILING_SYSTEM = re.compile(r"(?<=\S{4})制度$")
# "教工大会（具体时间另定）", "布置会（行政楼3楼2号会议室）", "评语（要言之有物…": a remark, not the name.
TRAILING_REMARK = re.compile(r"(?<=\S{2})[（(](?:[^）)]*(?:另定|另行|待定|会议室|教室|楼|地点|具体|详见)[^）)]*[）)]|[^）)]*$)")
# Who does it, before the verb of a long title: "所有教师制定…", "片区领头校举行…", "由领读人带领大家…".
SUBJECT = re.compile(
    r"^(?:由\S{1,6}?(?:带领|组织)(?:大家|全体\S{0,4})?|(?:所有|全体|各|每位|每个)?[\u4e00-\u9fff]{0,6}?"
    r"(?:教师|老师|组|校|处|室|班|学生|团队|大家|年级|中队)(?:统一|分别|共同|要|需|应)?(?:利用\S{2,6}?(?:假期|时间))?)"
    r"(?=(?:制定|举行|开展|完成|召开|组织|参加|上交|提交|撰写|商定|搞|进行|准备)\S{2})"
)
SUBJECT_OVER = 12
ORGANISER = re.compile(
    r"^(?:组织|安排|召集|带领|动员)(?:全体|全校|全园|各班|各年级|部分)?(?:师生|学生|教师|幼儿|班主任|教职工)?(?:开展|举行|进行|参加|参与)"
)
# "(责任人:王丽)", "(李)": who answers for it, said in brackets; it names the owner, not the task.
OWNER_BRACKET = re.compile(r"\s*[（(](?:责任人|负责人|负责老师|负责)\s*[:：]\s*[^）)]{1,12}[）)]|\s*[（(](?![一二三四五六七八九十上下])[\u4e00-\u9fff][）)]\s*$")
# "午餐前：食堂做好留样", "上学、放学时段：护导": when in the day, said as a label before the duty.
WHEN_LABEL = re.compile(r"^[\u4e00-\u9fff、]{1,6}(?:前|后|时|时段|期间)\s*[：:]\s*(?=\S{2})")
WRAPPED = re.compile(r"[（(][^（()）]+[）)]")
EMPTY_BRACKETS = re.compile(r"[（(]\s*[，,、]?\s*[）)]")   # left where a date was cut out
# "下午3:30，…", "上午第二节…": a time of day opens the entry but is no part of its name.
LEADING_TIME_OF_DAY = re.compile(
    r"^(?:(?:周|星期)?[一二三四五六日天]\s{2,})?(?:上午|下午|中午|晚上|早上|傍晚|全天)?\s*"
    r"(?:\d{1,2}\s*[:：∶]\s*\d{2}(?:\s*[-—–~～]+\s*\d{1,2}\s*[:：∶]\s*\d{2})?|\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半)?|"
    r"第[一二三四五六七八九十\d、，,]+节(?:课)?(?:后)?)?(?<=\S)[\s，,、：:]*"
)
# What a section heading is about: a quoted term (“习惯养成教育”) or the X of "做好X工作".
QUOTED_TOPIC = re.compile(r"[“\"]([\u4e00-\u9fff]{2,8})[”\"]")
WORK_TOPIC = re.compile(r"([\u4e00-\u9fff]{2,4}?)工作")
TOPIC_FILLER = re.compile(r"^(?:坚持|做好|抓好|加强|落实|推进|规范|完善|健全|狠抓|深化|强化|对|抓实|开展)+")
EDGES = " 。；;，,、：:"


def clean_title(words: str) -> str:
    """The name a teacher reads alone: no list number, time of day, filler verb or trailing clauses."""
    title = NUMBERING.sub("", words.strip())
    for _ in range(2):
        title = LEADING_TIME_OF_DAY.sub("", LEADING_FILLER.sub("", title.strip(EDGES)))
        title = COUNTED_VERB.sub("", title)
    title = EMPTY_BRACKETS.sub("", OWNER_BRACKET.sub("", WHEN_LABEL.sub("", title))).strip(EDGES)
    if WRAPPED.fullmatch(title):
        title = title[1:-1].strip(EDGES)   # "(园部检查)": a whole entry said in brackets
    if len(title) > SUBJECT_OVER:
        title = SUBJECT.sub("", title, count=1)
    title = TRAILING_SYSTEM.sub("", FRAMING.sub("", TRAILING_REMARK.sub("", title).strip(EDGES)))
    title = COUNTED_VERB.sub("", LEADING_FILLER.sub("", title))
    if len(title) > TITLE_CLAUSES_UP_TO:
        cut = max((i for i, ch in enumerate(title[:TITLE_CLAUSES_UP_TO + 1]) if ch in "，,；;。"), default=0)
        title = title[:cut] if cut >= 6 else title
    if len(title) > COMPACT_OVER:
        title = ORGANISER.sub("", title, count=1) or title
    uncounted = TRAILING_COUNT.sub("", title)
    title = uncounted if len(uncounted) >= 2 else title
    return title[:TITLE_LIMIT].strip(EDGES)


def is_cut_off(title: str) -> bool:
    """"课后社团第": a cell cut off mid-word names nothing."""
    return title.endswith(("第", "的", "和", "及", "与"))


def with_topic(title: str, section: str) -> str:
    """A bare verb ("上报", "例查") borrows its object from the heading it stands under."""
    if len(re.findall(r"[\u4e00-\u9fff]", title)) > 2 or not section:
        return title
    for heading in reversed(section.split(" > ")):
        heading = NUMBERING.sub("", heading)
        if m := QUOTED_TOPIC.search(heading):
            return TOPIC_FILLER.sub("", m.group(1)).removesuffix("教育") + title
        if m := WORK_TOPIC.search(TOPIC_FILLER.sub("", heading)):
            topic = TOPIC_FILLER.sub("", m.group(1))
            if len(topic) >= 2:
                return topic + title
    return title
