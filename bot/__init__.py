"""App assembly: settings, database, Bolt app, FastAPI app, CLI."""
