//! Image uploads: reading the multipart form, and what may be stored. An
//! image's type is told from its first bytes, never from its name or the
//! type the browser claims, and its stored name is made here (a slug and a
//! hash), never taken from the upload.

use axum::extract::{FromRequest, Multipart, Request};

use super::fs::bytes_hash;
use crate::{common::slug::ascii_slug, error::AppError};

/// Largest image accepted.
pub const MAX_IMAGE: usize = 2 * 1024 * 1024;

/// An upload form as it was sent (`file`, `return`).
#[derive(Debug)]
pub struct ImageUpload {
    /// The name the file had on the uploader's computer (only its stem is
    /// used, slugged).
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The page the form was on.
    back: String,
}

impl ImageUpload {
    /// Reads the multipart form; one that is cut off or too large, or has no
    /// file, is a 400 that says so.
    pub async fn read(req: Request) -> Result<ImageUpload, AppError> {
        let cut_off =
            |_| AppError::BadRequest("The upload was cut off or is larger than 2 MB.".into());
        let mut multipart = Multipart::from_request(req, &())
            .await
            .map_err(|_| AppError::BadRequest("Send the image as a file upload form.".into()))?;
        let mut file = None;
        let mut back = String::new();
        while let Some(field) = multipart.next_field().await.map_err(cut_off)? {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("image").to_string();
                    file = Some((name, field.bytes().await.map_err(cut_off)?.to_vec()));
                }
                Some("return") => back = field.text().await.unwrap_or_default(),
                _ => {}
            }
        }
        let (file_name, bytes) =
            file.ok_or_else(|| AppError::BadRequest("Choose an image file to upload.".into()))?;
        Ok(ImageUpload {
            file_name,
            bytes,
            back,
        })
    }

    /// Where to go afterwards: the edit page the form was on when it is one
    /// of `track`'s, else the editor index (never elsewhere).
    pub fn back_to(&self, track: &str) -> &str {
        if self.back.starts_with(&format!("/editor/{track}/")) {
            &self.back
        } else {
            "/editor"
        }
    }
}

/// The image type from the file's first bytes, never from its name.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// The name an image is stored under, or why it may not be stored (too
/// large, or not an image we accept). The stem is a slug of the uploaded
/// name's (at most 40 characters, `image` if none); the rest is 64 bits of
/// the hash of the bytes, too many to forge a second image with the same
/// name: the same image twice is one file, two different images two files.
pub fn stored_name(file_name: &str, bytes: &[u8]) -> Result<String, AppError> {
    if bytes.len() > MAX_IMAGE {
        return Err(AppError::BadRequest("Images may be at most 2 MB.".into()));
    }
    let ext = sniff_image(bytes).ok_or_else(|| {
        AppError::BadRequest(
            "Only PNG, JPEG, WebP and GIF images are accepted (checked from the file's content)."
                .into(),
        )
    })?;
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .map(ascii_slug)
        .unwrap_or_default();
    let stem: String = if stem.is_empty() {
        "image".into()
    } else {
        stem.chars().take(40).collect()
    };
    Ok(format!("{stem}-{}.{ext}", &bytes_hash(bytes)[..16]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(sniff_image(b"GIF89a..."), Some("gif"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff_image(b"<?php"), None);
    }

    #[test]
    fn stored_names_are_slugs_and_hashes() {
        let png = b"\x89PNG\r\n\x1a\n";
        let name = stored_name("../My Diagram.PNG", png).unwrap();
        assert!(
            name.starts_with("my-diagram-") && name.ends_with(".png"),
            "{name}"
        );
        assert!(stored_name("???.png", png).unwrap().starts_with("image-"));
        assert!(stored_name("x.png", b"<svg>").is_err());
        assert!(stored_name("x.png", &vec![0x89; MAX_IMAGE + 1]).is_err());
    }
}
