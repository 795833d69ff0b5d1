"""Reading sources (files, folders, feeds, pages, OPML) into an articles frame and a load report."""
