"""HTML pages for Channel chairs, panel members and intervention providers."""
