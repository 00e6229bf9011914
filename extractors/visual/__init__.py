"""Visual evidence on page images (OpenCV): handwritten signatures per signature zone, logos
and letterheads in the header and footer bands, coloured or framed stamps.

Every page is analysed once, as soon as its image is ready (`collect.VisualCollector` is the
per-page hook of `reading.text.extract_pages`), on a colour copy normalised to about 150 dpi
that shares the word boxes' coordinate frame; only the small results are kept, never the
images, so a 50-page scan stays well within memory."""
