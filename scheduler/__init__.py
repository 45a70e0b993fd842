"""APScheduler wiring, the leader lock, one module of jobs per feature."""
