"""Where a data directory keeps its bytes: durable file writes, the data key, encryption at rest, blob stores.

It sits low in the layers (above :mod:`app.config`, below the database and the domain) so the database, the
blob stores and the domain can all use it. Why encryption exists: a coordinator's laptop holds payroll figures,
ID numbers and health facts, and laptops get lost; 个人信息保护法 第五十一条 asks for encryption. See
:mod:`app.storage.keys` for how the key is kept.
"""
