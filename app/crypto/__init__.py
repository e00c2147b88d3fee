"""Encryption at rest: the data key of a data directory and the AES-GCM sealing used for attachments.

It sits low in the layers (beside :mod:`app.config`) so the database and the blob store can both use it. Why it
exists: a coordinator's laptop holds payroll figures, ID numbers and health facts, and laptops get lost;
个人信息保护法 第五十一条 asks for encryption. See :mod:`app.crypto.keys` for how the key is kept.
"""
