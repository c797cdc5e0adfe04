// Services coupled (akcipher: a service folder the check does not know by name).
