"""What the bot pushes to groups (reminders, alerts) and how it says a group's reminder settings, in
chat and on the office's group pages."""

# --- reminders pushed -------------------------------------------------------------------------
REMIND_EVE = "明天（{day}）：{line}"
REMIND_MORNING = "今天（{day}）：{line}"
REMIND_DEADLINE = "还有 {days} 天截止（{end}）：{line}"
REMIND_RECURRING = "今天（{day}）例行：{line}"
REMIND_MISSED_TITLE = "离线期间的提醒"
REMIND_MISSED = "校务助手离线期间，有 {count} 条提醒没能按时发出。发送“本周有什么任务”可以查看近期安排。"
REMIND_MISSED_SOME = "若干"      # the count, when the note does not carry it
REMIND_TITLE = "校务提醒"
REMIND_CHASE_TITLE = "今天截止"
REMIND_CHASE = "今天截止：{line}\n当前 {tally}。还没有上报的：{names}{unread}\n完成后请回复“完成 {number}”。"
REMIND_CHASE_UNREAD = "\n其中还没有看过提醒的：{names}"
REMIND_ALERT_TITLE = "提醒发送失败"
REMIND_ALERT = "群“{group}”的机器人多次推送失败，今天的提醒没能送达。请检查该群机器人的 webhook 地址和加签设置。"
REMIND_TASK_GONE = "（任务已不在计划中）"   # a dry run's preview of a reminder whose task was removed
REMINDER_KINDS = {"digest": "周报", "eve": "前一天提醒", "morning": "当天提醒", "deadline": "截止提醒",
                  "recurring": "例行事项", "chase": "催报"}

# --- reminder settings in chat ----------------------------------------------------------------
SETTINGS_TITLE = "提醒设置"
SETTINGS_HEADER = "#### {group}的提醒设置"
THIS_GROUP = "本群"
NAMED_GROUP = "“{name}”"
NO_GROUPS = "（无）"
SETTINGS_VIA_WEBHOOK = "（通过群机器人 webhook 推送）"
SETTINGS_VIA_ROBOT = "（通过钉钉应用机器人推送）"
SETTINGS_VIA_WECOM_BOT = "（通过企业微信智能机器人推送）"
SETTINGS_OFF_HERE = "本群目前不接收提醒。管理员发送“开启提醒”即可开启。"
SETTINGS_EXAMPLES = "修改示例：提醒设置 周报 8:00；提醒设置 前一天 关；提醒设置 截止 5,2,1；提醒设置 免打扰 22:00-6:30"
SETTINGS_UPDATED = "已更新。"
SETTINGS_NOT_ADMIN = "只有管理员可以修改提醒设置。发送“提醒设置”可以查看当前设置。"
SETTINGS_UNKNOWN = "没看懂要改哪一项。可以改：周报、前一天、当天、截止、例行、催报、免打扰、提醒（开/关）。\n" + SETTINGS_EXAMPLES
SETTINGS_BAD_VALUE = "没有修改。{problem}"
SETTINGS_NO_GROUP = "请指明群名，例如：提醒设置 全体教师群 周报 8:00。已有的群：{groups}"
SETTINGS_WECOM_GROUP = ("企业微信的群请添加“群机器人”，把它的 webhook 地址写进配置文件的 groups 中，"
                        "之后可以用“提醒设置 群名 …”修改它的提醒；或者在配置文件的 wecom_bot 中填写智能机器人的"
                        " Bot ID 和 Secret（长连接模式），把智能机器人拉进群后在群里发送“开启提醒”。")
SETTINGS_ROBOT_UNCONFIGURED = ("还不能通过应用机器人往群里推送：配置文件中缺少 dingtalk.app_key / app_secret。"
                               "请联系学校的 IT 管理员，或改用群自定义机器人的 webhook。")

# --- a group's settings, as lines (chat and the office's group list) --------------------------
SETTING_ON = "开，{detail}"
SETTING_SWITCH_ON = "开"
SETTING_SWITCH_OFF = "关"
SETTING_DIGEST_AT = "每周第一个上课日 {time}"
SETTING_DEADLINE_AT = "提前 {days} 天，{time}"
SETTING_CHASE_AT = "截止当天 {time}"
SETTING_LINES = """- 提醒：{enabled}
- 周报：{digest}
- 前一天提醒：{eve}
- 当天提醒：{morning}
- 截止提醒：{deadline}
- 例行事项：{recurring}
- 催报：{chase}
- 免打扰：{quiet_start}–{quiet_end}"""

# --- what is wrong with a setting typed in chat -----------------------------------------------
SETTING_PROBLEM = "{label}：{problem}"
SETTING_QUIET_FORM = "请写成 22:00-6:30 这样的时间段"
SETTING_DAYS_RANGE = "提前天数要在 1 到 30 之间"
SETTING_SWITCH_OR_TIME = "请写“开”“关”或时间，如 8:00"
SETTING_SWITCH_ONLY = "只能写“开”或“关”"
SETTING_TIME_UNREAD = "看不懂“{value}”，时间请写成 8:00 或 7点半"

# --- the WeCom app's one-to-one reminders -------------------------------------------------------
APP_CHANNEL_NAME = "企业微信应用私信"
