"""The analysts' command line: `census run`, `census validate FILE`, ..."""
