# A plugin Jekyll runs and init cannot carry over.
