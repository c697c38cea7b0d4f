"""The office's pages (/admin) outside their templates: what a view flashes or shows as an error, the
names a page shows for holidays, kinds and groups, and the rules the set-up form and the school's
own settings check (PasswordError, TermError, SchoolNameTaken, EditError)."""

# --- any page ----------------------------------------------------------------------------------
BAD_REQUEST = "请求有误，请返回重试。"
PAGE_NOT_FOUND = "没有这个页面，或这项内容已被删除。"
UPLOAD_TOO_LARGE = "文件太大，超过 {mb} MB。"
PAGE_FAILED = "出错了"
NUL_IN_REQUEST = "请求中含有无效字符，请返回重试。"
PAGE_EXPIRED = "页面已过期或来源不明，请刷新后重试。"
TOO_MANY_ATTEMPTS = "尝试次数过多，请 15 分钟后再试。"
NOT_SAVED = "没有保存：{problem}"

# --- values typed on a form (bot/admin/edges.py) -----------------------------------------------
DATE_RANGE = "日期要在 {first} 年到 {last} 年之间"
DATE_OUT_OF_RANGE = "{range}：{value}"
DATE_FORMAT = "日期格式不对，应为 {example}"
DATE_REQUIRED = "请填写日期，如 2026-09-01"
RHYTHM_UNREAD = "重复规则看不懂：{value}，请刷新页面后重试。"
BAD_YEAR = "年份不对，请返回重试。"

# --- signing in, set-up and the school's settings ------------------------------------------------
SETUP_ANNOUNCED = ("校务助手尚未设置：用浏览器打开本机的 /admin/setup（如 http://127.0.0.1:8080/admin/setup），"
                   "设置码 {code}")
WRONG_PASSWORD = "密码不对。"
WRONG_SETUP_CODE = "设置码不对：请看启动校务助手的窗口，或运行 python -m bot admin setup-code。"
SETUP_DONE_ELSEWHERE = "设置刚刚已在另一个浏览器里完成：请用那里设置的密码登录。"
SETUP_DONE = "设置完成。接下来可以上传本校的工作计划，并在“群与提醒”里设置提醒。"
SETUP_PARTLY_SAVED = "部分设置没有保存：{problem}。请在“学期与假期”或“学校设置”里补上。"
SCHOOL_RENAMED = "学校名称已改为“{name}”。"
SCHOOL_NAME_EMPTY = "学校名称不能为空"
SCHOOL_NAME_TAKEN = "已有名为“{name}”的学校"
WRONG_CURRENT_PASSWORD = "当前密码不对，密码没有修改。"
PASSWORD_CHANGED = "密码已修改，其他已登录的浏览器需要重新登录。"
PASSWORD_TOO_SHORT = "密码至少 {count} 位。"
PASSWORDS_DIFFER = "两次输入的密码不一致。"

# --- terms and days off ------------------------------------------------------------------------------
SCHOOL_YEAR_NAME = "{first}-{last}学年"
FIRST_TERM_NAME = "{year}第一学期"
SECOND_TERM_NAME = "{year}第二学期"
TERM_ROW_INCOMPLETE = "第 {row} 个学期：请填写名称、开始和结束日期。"
TERM_ROW_ENDS_EARLY = "第 {row} 个学期“{name}”：结束日期早于开始日期。"
TERMS_NONE = "请至少填写一个学期：周次、期中期末和提醒都按学期日期计算。"
TERM_NAME_TWICE = "学期名称“{name}”重复了，请改一个。"
TERM_NAME_EMPTY = "学期名称不能为空"
TERM_ENDS_EARLY = "学期结束日期早于开始日期"
TERM_NAME_TAKEN = "已有名为“{name}”的学期"
TERM_SAVED = "学期已保存。周次、例行事项和提醒都按新的日期计算。"
TERM_IN_CONFIG = "“{name}”写在配置文件里，删除后启动时会恢复；请修改它的日期，或请 IT 管理员改配置文件。"
TERM_DELETED = "已删除“{name}”。"
DAYS_OFF_UNREAD = "放假日第 {row} 行看不懂：“{line}”，请写成 2027-01-01 或 2027-02-10 至 2027-02-17 春节"
DAYS_OFF_TOO_LONG = "放假日第 {row} 行：结束日期要在开始日期之后，且不超过 60 天。"
HOLIDAY_TOO_LONG = "没有保存：假期的结束日期要在开始日期之后，且不超过 60 天。"
HOLIDAY_SAVED = "假期已保存：这些天不推送提醒，例行事项也暂停。"
HOLIDAY_DELETED = "已删除 {day} 的假期。"
HOLIDAYS_CONFIRMED = "已确认 {year} 年的假期已补充完整。"
# chinese-calendar's holiday names, as the calendar pages show them (and the fixed ones prefilled)
HOLIDAY_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
                 "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
                 "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日"}
DAY_OFF = "放假"
MAKE_UP_DAY = "调休上课"

# --- plans ---------------------------------------------------------------------------------------------
CHOOSE_PLAN_FILE = "请选择计划文件。"
PLAN_FILE_KINDS = "请上传 .docx、.xlsx 或 .txt 文件。"
PLAN_IMPORTED = "已导入《{name}》：新增 {added} 项，保留 {kept} 项，撤下 {withdrawn} 项。"
DRAFT_DISCARDED = "已放弃这次上传，原有计划没有变化。"
PLAN_REMOVED = "已删除计划《{name}》及其任务；有人上报过的任务已隐藏，上报记录保留。"
PLAN_GONE = "这份计划已不存在。"

# --- tasks -----------------------------------------------------------------------------------------------
TASK_KINDS = (("dated", "有日期"), ("routine", "例行事项"), ("term", "学期节点"), ("undated", "无日期"))
TASK_ADDED = "已添加任务 #{number}。"
TASK_SAVED = "已保存 #{number}。"
TASK_DELETED = "已删除 #{number}“{title}”。"
TASK_DELETED_GONE = "已删除。"
MERGE_PICK_TWO = "合并时请勾选两项任务：保留编号较小的一项。"
MERGE_GONE = "要合并的任务已不存在，请刷新后重试。"
MERGED = "已合并，上报记录归到保留的一项。"
TASK_TITLE_EMPTY = "任务名称不能为空"
TASK_ENDS_EARLY = "结束日期早于开始日期"
MERGE_SAME_TASK = "请选择两项不同的任务"
TASK_GONE = "没有这项任务（可能已被删除）"

# --- groups, people and the home page -------------------------------------------------------------
GROUP_SAVED = "已保存“{group}”的提醒设置。"
TIME_FORMAT = "时间格式不对：{value}"
EMPTY_VALUE = "（空）"
DEADLINE_DAYS_RANGE = "截止提醒的提前天数要在 1 到 30 之间，如 3,1"
QUIET_SAME = "免打扰的开始和结束不能相同"
CHOOSE_ROSTER_FILE = "请选择名单文件。"
ROSTER_IMPORTED = "名单已导入：新增 {added} 人，更新 {updated} 人，角色 {roles} 个。"
WEEK_DIGEST = "本周任务汇总"      # the title of a digest among the next day's reminders
UNNAMED_GROUP = "（未命名的群）"

# --- calendar feeds ----------------------------------------------------------------------------------
FEED_PRODUCT = "-//schoolbot//校务助手//ZH"
FEED_OWNER = "负责：{owner}"
FEED_ROUTINE = "#{number} {title}（{rhythm}）"
