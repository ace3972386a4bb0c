"""Tools for the people who review the copy; none of them writes an article.

``check`` validates templates, records and locale; ``report`` measures how repetitive a rendered
tree reads; ``variants`` lists every ``{% variants %}`` slot of a style; ``diff`` compares two
rendered trees sentence by sentence.
"""
