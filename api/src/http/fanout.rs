//! Subscriptions share their work. Every subscriber of the same operation (the same document,
//! variables and operation name, with a token of the same role) hears one execution of it, so a
//! change is resolved once per distinct selection, however many subscribers it has. And the caps
//! on open subscriptions: in total, and per client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_graphql::Response;
use futures_util::StreamExt;
use futures_util::future::ready;
use futures_util::stream::BoxStream;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;

use super::admission::address_key;
use super::refusal::Refusal;
use crate::auth::Role;

/// Responses a slow subscriber may fall behind by before it skips some.
const BACKLOG: usize = 64;

/// What makes two subscriptions the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub query: String,
    pub variables: String,
    pub operation_name: Option<String>,
    /// The role decides what a guarded field answers.
    pub role: Option<&'static str>,
}

impl Key {
    pub fn new(request: &async_graphql::Request, role: Option<Role>) -> Self {
        Self {
            query: request.query.clone(),
            variables: serde_json::to_string(&request.variables).unwrap_or_default(),
            operation_name: request.operation_name.clone(),
            role: role.map(Role::as_str),
        }
    }
}

/// The running executions, and the open subscriptions counted against the caps.
pub struct Fanout {
    running: Mutex<HashMap<Key, broadcast::WeakSender<Arc<Response>>>>,
    open: Mutex<Open>,
    max_total: usize,
    max_per_address: usize,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<String, usize>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The maps stay consistent whatever panicked while holding them.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Fanout {
    pub fn new(max_total: usize, max_per_address: usize) -> Arc<Self> {
        Arc::new(Self { running: Mutex::default(), open: Mutex::default(), max_total, max_per_address })
    }

    /// A place for one more subscription from `address`, given back when the [`Place`] is dropped.
    pub fn reserve(self: &Arc<Self>, address: Option<IpAddr>) -> Result<Place, Refusal> {
        let address = address.map(address_key);
        let mut open = lock(&self.open);
        if open.total >= self.max_total {
            return Err(Refusal::limit(format!(
                "this server has {} subscriptions open, its limit; try again later",
                self.max_total
            )));
        }
        if let Some(address) = &address {
            let from_here = open.by_address.entry(address.clone()).or_default();
            if *from_here >= self.max_per_address {
                return Err(Refusal::limit(format!(
                    "{} subscriptions are open from your address, the limit; close one first",
                    self.max_per_address
                )));
            }
            *from_here += 1;
        }
        open.total += 1;
        Ok(Place { fanout: self.clone(), address })
    }

    /// The responses of the execution for `key`: the running one, or one `start` starts now.
    pub fn join(
        self: &Arc<Self>,
        key: Key,
        start: impl FnOnce() -> BoxStream<'static, Response>,
    ) -> BoxStream<'static, Arc<Response>> {
        let mut running = lock(&self.running);
        if let Some(sender) = running.get(&key).and_then(broadcast::WeakSender::upgrade) {
            return listen(sender.subscribe());
        }
        // Subscribed before the execution starts, so the first subscriber misses nothing.
        let (sender, receiver) = broadcast::channel(BACKLOG);
        running.insert(key.clone(), sender.downgrade());
        drop(running);
        tokio::spawn(relay(self.clone(), key, start(), sender));
        listen(receiver)
    }
}

fn listen(receiver: broadcast::Receiver<Arc<Response>>) -> BoxStream<'static, Arc<Response>> {
    // A subscriber too slow to keep up skips what it missed rather than ending the stream.
    BroadcastStream::new(receiver).filter_map(|item| ready(item.ok())).boxed()
}

/// Runs one execution, handing each response to its subscribers, until it ends or they all leave.
async fn relay(
    fanout: Arc<Fanout>,
    key: Key,
    mut responses: BoxStream<'static, Response>,
    sender: broadcast::Sender<Arc<Response>>,
) {
    loop {
        tokio::select! {
            response = responses.next() => match response {
                Some(response) => {
                    let _ = sender.send(Arc::new(response));
                }
                None => break,
            },
            () = sender.closed() => {
                // The last subscriber left; a new one may have joined since (under the lock).
                let mut running = lock(&fanout.running);
                if sender.receiver_count() == 0 {
                    running.remove(&key);
                    return;
                }
            }
        }
    }
    // The execution ended (its subscribers hear the end when the sender is dropped); forget it
    // unless another has taken its key meanwhile.
    drop(sender);
    let mut running = lock(&fanout.running);
    if running.get(&key).is_some_and(|sender| sender.upgrade().is_none()) {
        running.remove(&key);
    }
}

/// One open subscription, counted against the caps until dropped.
pub struct Place {
    fanout: Arc<Fanout>,
    address: Option<String>,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut open = lock(&self.fanout.open);
        open.total = open.total.saturating_sub(1);
        if let Some(address) = &self.address
            && let Some(count) = open.by_address.get_mut(address)
        {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.by_address.remove(address);
            }
        }
    }
}
