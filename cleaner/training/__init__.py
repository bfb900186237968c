"""Training the block classifier: labelled blocks from the development pages, then a fitted model.

``labels`` aligns each block of the text inputs with its page's ground truth;
``fit`` fits the linear model (scikit-learn, the ``train`` extra), cross-validates
it by site and writes the readable model file that ``cleaner.model`` loads.
"""
