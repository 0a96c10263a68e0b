"""Reading raw articles: decoding, layout (body / captions / origin / furniture), sidecars."""
