"""Large-deployment benchmark (issue 17): seeds 1,000 workspaces' worth of history into a throwaway PostgreSQL
database and measures the scheduler, the digest, heavy requests and the sender on it. `python -m bench.scale`."""
