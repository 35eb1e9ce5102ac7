"""The library's branches as an administrator keeps them: contacts and whether the branch is open round the clock."""
