from newsgraph.cli import app

app()
