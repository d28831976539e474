"""供需对接会: matchmaking days with 1:1 meetings proposed from the match scores."""
