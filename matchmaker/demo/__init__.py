"""`flask demo load`: a believable district so that every page has something real to show."""
