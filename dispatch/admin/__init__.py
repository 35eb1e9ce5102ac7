"""What an administrator changes from the admin pages: uploads of the library's exports, and the audit of every change."""
