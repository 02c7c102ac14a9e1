# SPDX-License-Identifier: MIT
"""amtact-interim: the interim server for amtact agents."""
