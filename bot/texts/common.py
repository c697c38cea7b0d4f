"""Words every area shares."""

LIST_SEPARATOR = "、"          # between names in a list: "王芳、李强"
NO_SUFFIX = "（无扩展名）"       # a file name without one, in an error about the kind of file
