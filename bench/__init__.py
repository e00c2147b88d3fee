"""Benchmarks (``make bench``): figures to read, never assertions in the test suite.

Where the machine has no secure keyring (headless Linux: keyring's ``fail`` backend), the benchmarks keep the
data key in an in-memory keyring, so opening a workspace neither prompts for a passphrase nor pays Argon2id each
time; ``bench_encryption`` measures both unwrap paths on their own.
"""

from app.sync.credentials import memory_keyring_unless_secure

memory_keyring_unless_secure()
