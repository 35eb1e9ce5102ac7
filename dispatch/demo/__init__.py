"""The demo day: a plausible city of branches, readers, books and requests on the real Almaty map."""
