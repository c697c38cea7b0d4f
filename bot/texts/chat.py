"""What the bot answers in a chat: tasks by day, week or topic, the term's weeks, help, linking a group
to its school, progress reports and who has reported."""

# --- tasks by span, topic or deadline ----------------------------------------------------------
SPAN_TITLE = "{span}{topic}的任务"
TOPIC_RELATED = "{keyword}相关"
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
ROUTINE_HEADING = "{title}（{count} 项）"
ROUTINE_RHYTHM = "**{rhythm}**：{tasks}"
ROUTINE_TASK_SEPARATOR = "；"
ROUTINE_NONE = "当前没有在执行的例行工作。"
TOPIC_MISSING = "没有找到与“{keyword}”有关的安排，下面是{span}的全部安排。"
TOPIC_NEAREST = "没有完全对得上“{keyword}”的任务，最接近的是："
DUE_TITLE = "{span}{topic}要截止的任务"
DUE_ON = "{day} 截止"
NOTHING_DUE = "{span}没有要截止的任务。"
MORE_HIDDEN = "……还有 {count} 项没有显示。可以缩小时间范围（如“下周三有什么”）或加上部门、关键词（如“本周教务处有什么任务”）。"

# --- the term -------------------------------------------------------------------------------
TODAY = "今天"
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

# --- help -----------------------------------------------------------------------------------
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

# --- linking a group to its school ------------------------------------------------------------
ONBOARD_TITLE = "请先绑定学校"
ONBOARD = "本群还没有绑定学校。请管理员发送“绑定学校 学校名称”，例如：绑定学校 {example}"
LINK_TITLE = "绑定学校"
LINK_DONE = "已将本群绑定到“{school}”。现在可以问“本周有什么任务”。"
LINK_NOT_ADMIN = "只有管理员可以绑定学校，请联系学校的管理员。"
LINK_UNKNOWN = "没有找到“{name}”。已有的学校：{schools}"

# --- progress reports -------------------------------------------------------------------------
STATUS_WORDS = {"done": "已完成", "doing": "进行中", "blocked": "有困难", "todo": "已撤销"}
STATUS_VERBS = {"done": "完成", "doing": "进行中", "blocked": "有困难", "todo": "撤销"}
NOT_REPORTED = "未上报"
REPORT_TITLE = "进度上报"
REPORT_DONE = "已记录：{who} #{number} {title} → {state}{note}。"
REPORT_NOTE = "（{note}）"
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
PROGRESS_UNREAD = "**未读提醒（{count}）**：{names}"
PROGRESS_TITLE = "#{number} {title} 进度"
PROGRESS_TALLY = "{title}：{tally}"
PROGRESS_OWNER = "负责：{owner}"
PROGRESS_STATE = "**{state}（{count}）**：{names}"
PROGRESS_REPORTED_BY = "{unit}（{name}）"
PROGRESS_NOTE = "{unit}：{note}"
PROGRESS_NOBODY_YET = "还没有人上报。"
PROGRESS_OPEN = "（名单中没有找到这项任务的负责人，以上为所有上报者。）"
MINE_TITLE = "我的任务"
MINE_HEADING = "{title}（{count} 项未完成）"
MINE_STATE = "（{state}）"
MINE_NONE = "您负责的近期任务都已完成，或名单里还没有您的角色。"
MINE_UNKNOWN_SENDER = "还不知道您是名单里的哪一位。请在钉钉或企业微信里问我。"
MINE_HINT = "完成后回复“完成 编号”即可。"
OVERDUE = "（已过期）"

# --- when a step fails ------------------------------------------------------------------------
STEP_FAILED_TITLE = "出错了"
STEP_FAILED = "出错了，请稍后再试"
