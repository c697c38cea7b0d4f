"""Words every area shares."""

LIST_SEPARATOR = "、"          # between names in a list: "王芳、李强"
NO_SUFFIX = "（无扩展名）"       # a file name without one, in an error about the kind of file
NAMES_AND_MORE = "{names}等 {count} 人"      # a list of names too long for the message: the first ones, then how many
UNITS_AND_MORE = "{names}等 {count} 个"      # the same when some are departments or groups, not people
