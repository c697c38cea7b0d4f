"""The school's people: the roster file and the platform's directory, who `chat --as` names, how many
have reported, and the status table the office exports."""

# --- outcomes (command line) ---------------------------------------------------------------------
ROSTER_DONE = "名单已导入：共 {total} 人（新增 {added}，更新 {updated}），角色 {roles} 个。"
EXPORT_DONE = "已写入 {path}：{tasks} 项任务 × {people} 人。"
DIRECTORY_DONE = "通讯录已同步：共 {total} 人（新增 {added}，更新 {updated}），从职位读出角色 {roles} 个。"

# --- the roster file (RosterError) -------------------------------------------------------------
ROSTER_UNREADABLE = "无法读取 {path}：{reason}"
ROSTER_EMPTY = "{name} 是空文件"
ROSTER_KIND = "不支持的名单文件类型 {suffix}：请用 .xlsx 或 .csv"
ROSTER_ROW_UNNAMED = "{name} 第 {row} 行没有姓名"
ROSTER_SAME_ID = "{name} 第 {first} 行和第 {row} 行的{label}相同（{value}）"
DINGTALK_ID = "钉钉 userId"
WECOM_ID = "企业微信 userid"
ROSTER_TOO_LONG = "{name} 超过 {limit} 人，请确认文件是否正确"
ROSTER_NOBODY = "{name} 的表头下面没有人员"
ROSTER_NO_HEADER = "{name} 里找不到“姓名”列：第一行应是表头，如 姓名、角色、部门、钉钉userId、企业微信userid、手机"
ROSTER_NOT_XLSX = "{name} 不是有效的 Excel 表格（.xlsx）"

# --- who `chat --as` names (UnknownMember) ------------------------------------------------------
MEMBER_NAMESAKES = "名单里有 {count} 位“{who}”（{numbers}），请用 --as #编号 或其钉钉/企业微信 userid 指明"
MEMBER_NO_ROSTER = "还没有导入教师名单：先运行 python -m bot members import 名单.xlsx"
MEMBER_UNKNOWN = "名单里没有“{who}”；运行 python -m bot members list 查看姓名、编号和 userid"

# --- the platform's directory (DirectoryError) -------------------------------------------------
DIRECTORY_NO_DINGTALK_APP = "配置中缺少 dingtalk.app_key / app_secret"
DIRECTORY_DINGTALK_FAILED = "钉钉通讯录读取失败（{code}），请确认应用已开通“通讯录只读权限”"
DIRECTORY_NO_WECOM_APP = "配置中缺少 wecom.corp_id / secret"
DIRECTORY_WECOM_FAILED = "企业微信通讯录读取失败（{error}），请确认应用的可见范围和通讯录权限"

# --- a task's tally -------------------------------------------------------------------------------
TALLY = "{done}/{total} 已完成"
TALLY_BLOCKED = "，{blocked} 有困难"
TALLY_OPEN = "{done} 人已完成"          # a task with no owner on the roster: whoever reported
READ_TALLY = "已读 {read}/{total}"      # who has read the reminders (DingTalk's read receipts), or reported
READ_TALLY_OPEN = "{read} 人已读"
TALLY_SEPARATOR = " · "
WAITING_MORE = " 等 {count} 人"         # after the first names of those still to report

# --- the status table (bot/export.py; ExportError) ------------------------------------------------
EXPORT_NO_TERM = "没有名为“{name}”的学期。已有的学期：{known}"
EXPORT_NO_TERMS_YET = "（还没有设置学期）"
EXPORT_HEADER = ("编号", "任务", "日期", "负责", "进度", "已读")
EXPORT_SHEET = "进度"
EXPORT_DAYS = "{first:%m-%d}～{last:%m-%d}"
EXPORT_PERSON = "{name}（{department}）"
EXPORT_REPORTED = "{state} {at:%m-%d %H:%M}{note}"
EXPORT_NOTE = "：{note}"
EXPORT_REPORTED_BY = "（{name} {state}）"
