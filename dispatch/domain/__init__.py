"""Framework-free rules of the dispatch domain: statuses, transitions, eligibility and scheduling."""
