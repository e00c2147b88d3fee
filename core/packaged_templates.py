"""The content hash of every checklist version ever shipped with the app: a version number names one content.

The server refuses to publish, and a laptop refuses to take, a snapshot that carries a shipped (module, version)
with other content, even where that version was never published (``core.template_check.version_conflict``). A
test checks this table against ``app/checklists/templates``: a new packaged version is *added* here (its line is
printed by the failing test); a shipped line is never changed or removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

PACKAGED_VERSIONS: Final[Mapping[tuple[str, int], str]] = {
    ("CONTRACT", 1): "64c2ae704833fcfc5d42e15a7471e634fbac8b6d2baf6d793d1967155e900f4e",
    ("WAGE", 1): "996c91ad67eb761a627cb85f78c6ec9b333a442806a15fe51ac10c553f402776",
    ("HOURS", 1): "6017672c5ffaa6b287befea2b203a68de0f71d53802bb8dee0be796bff426c4e",
    ("INSURANCE", 1): "c65601c59d6db172a45bafde5ba591e0e34c00137eb22bb3cb7b70c81ab02555",
    ("LAYOFF", 1): "3c029b24f7a1fba34c65f2c117073d2d635caec0ad5a0d2205392b285573732d",
    ("DEMOCRACY", 1): "8983b5f2d9ad64b256a4ea59dfbeb49b3e6086f0c95a34ee8a1cfb9481f7c033",
    ("COLLECTIVE", 1): "e14166e3b531409354a6a70622b973675a1fd1e3767ca837517e2d9d1806f451",
    ("PROTECT", 1): "542123b4f02d07b33de2c54e8241850ed3d261621f2bba63a2fcc5bc8210b94d",
    ("DISPATCH", 1): "6ae87fdf607f5e2de7948062c8167d34e9135e9c566af25e87525bae7c5e90e8",
    ("SITEPAY", 1): "85a6e1d7334a2dc7ab57900f76c63ace565daeac4ec7c63ab2c4c1f1f7058b55",
    ("PLATFORM", 1): "0ce3066e46bcaf05efb4ba0aa038d8fd03f5c399d713422da3485b71cd28b87a",
    # v2: every item states its finding and has a title (the notice after GB/T 9704)
    ("CONTRACT", 2): "d54a62361afba95ad61f151090e207156f28939a0ec6c64c8656f48d42a1977e",
    ("WAGE", 2): "33577a2581469359d027a9ca7b068167d12b207e21f91cfae2dfbe745bcab778",
    ("HOURS", 2): "c2b80f0fb6c3246164ea295ef0034814c53e60c42597df86919e0a730103e378",
    ("INSURANCE", 2): "36d2908155330962449f7c490427a01a046ae544f73aee987ddc4e5e26ff3391",
    ("LAYOFF", 2): "9d6fb09ec0e6baf98278c0f1e568cf324e4a305a1ce721bab20926de0b09b1b7",
    ("DEMOCRACY", 2): "d1e9638e68ab883a9370ae21818b5374b9536ad8d41ff7290e45f24ca1b9e1ae",
    ("COLLECTIVE", 2): "d840404532e2569f51436e5d15a1f377261ee85594f9ba692182f96fec42104c",
    ("PROTECT", 2): "4f068cf84a2acf85c735f8442341eab069bdb4dbcabd3d35a79e08be3c5060d7",
    ("DISPATCH", 2): "3a0aa66e7c44fdcc5586c69459a8b1a424b89f2eb714e0c6c92f486a14e41617",
    ("SITEPAY", 2): "07ebe2a37b66ca8ab3b89aaa08d56cbd5475fa391d0a1e90ae02089ac4b62653",
    ("PLATFORM", 2): "91491e4fcc9ace7bf736266703dea7fd42d58108f3e96ae178533abc9ace7eec",
    # v3: statutory rules call their tested functions in core.labor_math; WAGE-07 checks the wage left (issue 11)
    ("CONTRACT", 3): "4d7bc56275da25908b6bdd7bcf4e389888f3ac10b0925fecffc4357efe5413a5",
    ("WAGE", 3): "bed979cbefce683c65761ef915d8e5b13974415cab8d5fc1317fc323a659f7c0",
    ("HOURS", 3): "1fcfa2cc2d76bbcb4443bb17a9c62826ed62f991a1303ba16039829cf87b0b20",
    ("LAYOFF", 3): "248d82d2f411ca792396276b7ec9ecefb2ac89268f051edcbed3c0f7f7d2b52a",
    ("DISPATCH", 3): "8d8b56ecb6d10bb890f8c37f4a97bf341755ac62258ee6129c9f2697c46f55f7",
    # v4: wage and hours findings also worded from the wage check's facts (工资考勤核查, issue 14)
    ("WAGE", 4): "29a0e30fb1f2de93db8539c650c8e32f0878d3a1b6f326aaf0991ef0afe5299b",
    ("HOURS", 4): "7c8ede5ca9f9aaba64c3db9df5972c85f1eca54ab1b7eadb67b7ecb889c63915",
}
