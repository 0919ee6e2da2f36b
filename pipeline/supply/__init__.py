"""Supply links between census firms, OEMs and anchor suppliers, and supplier tiers."""
