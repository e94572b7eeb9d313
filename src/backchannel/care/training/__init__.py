"""Training the caution check's text model (`make care-model`): not imported at run time.

corpus.py reads the labelled corpus, generate.py adds seeded variety to it, fit.py trains one
logistic regression per kind with scikit-learn (the `train` extra), picks each kind's threshold
from a cross-validation, and writes the weights that care/model.py scores in pure Python.
"""
