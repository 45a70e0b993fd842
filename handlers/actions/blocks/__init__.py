"""Action items in Block Kit: pure functions from domain objects to blocks."""
