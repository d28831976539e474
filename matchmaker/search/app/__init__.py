"""The search package's Flask edge: `service` (the API the feature packages call inside an app
context), `sync` (published changes reach the index through the job queue) and the
`flask search …` commands.
"""
