"""Reading a card: a photo in, one contact per card out.

The stages in order: ``imaging`` (decode, size limits, EXIF), ``detect`` with ``outline``
(find each card and turn it upright; ``geometry`` flattens it), ``ocr`` (the engines),
``qr`` (codes on the card), ``extract`` (the contact's fields). ``pipeline`` decides which
run; ``bench`` scores it on labelled photos. (``cardscan.cardimages`` makes thumbnails and
the flattened card again from a stored photo.)
"""
