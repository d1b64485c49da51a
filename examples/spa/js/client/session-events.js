// Compiled from src/client/session-events.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Sign-in and sign-out as every tab of the app sees them: what one tab learns from the server's
// answers is told to the others over a BroadcastChannel (or, without one, a storage event). Only
// the user's id travels, never a token: the session itself stays in HttpOnly cookies.
const userIdOf = (data) => {
    const userId = data?.userId;
    return userId === null || typeof userId === 'string' ? userId : undefined;
};
/** The session changes of one API (`name` keeps apps of one origin apart): noted by this tab, heard from the others. */
export function sessionChanges(name) {
    const globals = globalThis;
    const listeners = new Set();
    // undefined until the first answer that tells: the first one is a change too.
    let known;
    let post;
    /** Takes `userId` as the session now; true when that changed it, after telling this tab's listeners. */
    const deliver = (userId) => {
        if (userId === known)
            return false;
        known = userId;
        const change = userId === null ? { signedIn: false, userId } : { signedIn: true, userId };
        for (const listener of listeners) {
            try {
                listener(change);
            }
            catch (err) {
                // One listener's failure stops no other; it still reaches the page's error reporting.
                queueMicrotask(() => { throw err; });
            }
        }
        return true;
    };
    const connect = () => {
        if (post !== undefined)
            return;
        post = () => { };
        if (typeof globals.BroadcastChannel === 'function') {
            const channel = new globals.BroadcastChannel(name);
            channel.onmessage = (event) => {
                const userId = userIdOf(event.data);
                if (userId !== undefined)
                    deliver(userId);
            };
            // Node (tests, server-side use): a channel must not keep the process alive.
            channel.unref?.();
            post = (message) => channel.postMessage(message);
        }
        else if (globals.localStorage !== undefined && typeof globals.addEventListener === 'function') {
            const storage = globals.localStorage;
            globals.addEventListener('storage', (event) => {
                if (event.key !== name || event.newValue === null)
                    return;
                try {
                    const userId = userIdOf(JSON.parse(event.newValue));
                    if (userId !== undefined)
                        deliver(userId);
                }
                catch { }
            });
            // Other tabs get a storage event for each change of the value: a nonce makes every message one, and it is removed at once.
            post = (message) => {
                storage.setItem(name, JSON.stringify({ ...message, nonce: Math.random() }));
                storage.removeItem(name);
            };
        }
    };
    return {
        /** What an answer told of the session: the signed-in user's id, or null when there is none. */
        note(userId) {
            connect();
            if (deliver(userId))
                post?.({ userId });
        },
        /** Calls `listener` on every change, whichever tab saw it; returns the function that stops it. */
        subscribe(listener) {
            connect();
            listeners.add(listener);
            return () => { listeners.delete(listener); };
        }
    };
}
