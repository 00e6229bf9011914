"""Layout-general key-value reading: value candidates of each kind over the whole document,
each scored per field by its context in every direction (a label in its own cell, to its left,
above it in its column or table header, the section it stands in, the words around it in a
sentence), after Majumder et al., "Representation Learning for Information Extraction from
Form-like Documents" (ACL 2020), with the label lexicon as data (extractors/lexicon)."""
