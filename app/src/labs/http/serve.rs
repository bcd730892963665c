//! The axum route of the practice API: `/lab/{token}` and everything under
//! it, any method. It turns the HTTP request into a [`LabRequest`] (the
//! body read up to one byte past the limit, so an oversized one is known
//! without reading it all) and the [`LabResponse`] back into HTTP.

use axum::{
    body::{Body, HttpBody},
    extract::{Path, Request, State},
    response::Response,
};
use serde::Deserialize;

use super::{handle, limits, LabRequest, LabResponse};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LabPath {
    token: String,
}

/// Answers a request to a lab; mounted for `/lab/{token}`,
/// `/lab/{token}/` and `/lab/{token}/{*rest}`.
pub async fn serve(
    State(state): State<AppState>,
    Path(LabPath { token }): Path<LabPath>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    // The path as sent (not percent-decoded), after `/lab/{token}`.
    let raw = parts.uri.path();
    let after_lab = raw.strip_prefix("/lab/").unwrap_or("");
    let path = match after_lab.find('/') {
        Some(i) => after_lab[i..].to_string(),
        None => "/".to_string(),
    };
    let body = match read_capped(body, limits::MAX_BODY + 1).await {
        Ok(b) => b,
        Err(_) => {
            // The client went away or sent a broken body: nobody to answer.
            return into_response(super::respond::problem(
                http::StatusCode::BAD_REQUEST,
                "The request body could not be read.",
            ));
        }
    };
    let req = LabRequest {
        method: parts.method,
        path,
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body,
    };
    into_response(handle(&state.pool, &token, req).await)
}

/// The body's first `cap` bytes (all of it when shorter).
async fn read_capped(mut body: Body, cap: usize) -> Result<Vec<u8>, axum::Error> {
    let mut out = Vec::new();
    while out.len() < cap {
        let Some(frame) =
            std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
        else {
            break;
        };
        if let Ok(data) = frame?.into_data() {
            let take = data.len().min(cap - out.len());
            out.extend_from_slice(&data[..take]);
        }
    }
    Ok(out)
}

fn into_response(lab: LabResponse) -> Response {
    let mut resp = Response::new(Body::from(lab.body));
    *resp.status_mut() = lab.status;
    *resp.headers_mut() = lab.headers;
    resp
}
