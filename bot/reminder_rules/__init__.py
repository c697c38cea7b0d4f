"""When a task's reminders fall and how the office's setting words read: pure rules, shared by
the chat's "提醒设置" answers and the scheduler that sends."""
