//! The random source: the operating system's, for tokens, nonces and codes.

use argon2::password_hash::rand_core::{OsRng, RngCore};

/// `N` random bytes.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

/// `N` random bytes as lower-case hex (`2 * N` characters).
pub fn hex<const N: usize>() -> String {
    bytes::<N>().iter().map(|b| format!("{b:02x}")).collect()
}

/// A random 32-bit number.
pub fn u32() -> u32 {
    OsRng.next_u32()
}
