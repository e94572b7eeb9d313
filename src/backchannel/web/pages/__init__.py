"""The site's pages, one module per domain (as api/ has one per domain): thin views that read
with the domain's queries, write with its actions and render its templates. Pages sit above
every domain, so a page may show what several domains hold without those domains knowing."""
