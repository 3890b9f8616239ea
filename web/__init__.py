"""The cardscan web app (Flask PWA): a thin layer over the ``cardscan`` library."""
