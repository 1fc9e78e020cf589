package org.jasyncio;

import java.util.NoSuchElementException;

/**
 * A variable whose value belongs to the current {@link Context}: Python's
 * {@code contextvars.ContextVar}. Use it instead of a {@code ThreadLocal} for per-task state:
 * tasks of one loop share the loop thread, but each task runs in its own copy of the context,
 * on both strands alike.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");
 *
 * ContextVar.Token<String> t = REQUEST_ID.set("r-17");   // visible in this task only
 * try { handle(); } finally { REQUEST_ID.reset(t); }
 *
 * try (var _ = REQUEST_ID.set("r-18")) {                 // the same, as Python 3.14's
 *     handle();                                          // "with REQUEST_ID.set('r-18'):"
 * }
 * }</pre>
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {

    private final String name;
    private final T defaultValue;
    private final boolean hasDefault;

    /**
     * A variable without a default: {@link #get()} throws until it is set. Python's
     * {@code ContextVar(name)}.
     *
     * @param name the name, for messages
     */
    public ContextVar(String name) {
        this(name, null, false);
    }

    /**
     * A variable with a default, returned by {@link #get()} while it is not set. Python's
     * {@code ContextVar(name, default=value)}.
     *
     * @param name         the name, for messages
     * @param defaultValue the default (may be null)
     */
    public ContextVar(String name, T defaultValue) {
        this(name, defaultValue, true);
    }

    private ContextVar(String name, T defaultValue, boolean hasDefault) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        this.name = name;
        this.defaultValue = defaultValue;
        this.hasDefault = hasDefault;
    }

    /**
     * Python's {@code ContextVar.name}.
     *
     * @return the name
     */
    public String getName() {
        return name;
    }

    /**
     * The value in the current context, else the default. Python's {@code ContextVar.get()}.
     *
     * @return the value
     * @throws NoSuchElementException if it has no value and no default (Python's
     *                                {@code LookupError})
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object v = Context.current().values.get(this);
        if (v != ContextMap.MISSING) {
            return (T) v;
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new NoSuchElementException("ContextVar '" + name + "' has no value in the current context and no default");
    }

    /**
     * The value in the current context, else {@code fallback} (even if the variable has a
     * default). Python's {@code ContextVar.get(default)}.
     *
     * @param fallback what to return when it has no value
     * @return the value or {@code fallback}
     */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Object v = Context.current().values.get(this);
        return v != ContextMap.MISSING ? (T) v : fallback;
    }

    /**
     * Sets the value in the current context only. Python's {@code ContextVar.set(value)}.
     *
     * @param value the new value (may be null)
     * @return a token that {@link #reset} uses to restore the previous value
     */
    public Token<T> set(T value) {
        Context c = Context.current();
        Object old = c.values.get(this);
        c.values = c.values.with(this, value);
        return new Token<>(this, c, Context.owner(c), old);
    }

    /**
     * Restores the value this variable had before the {@link #set} that made {@code token}.
     * Python's {@code ContextVar.reset(token)}.
     *
     * @param token the token from {@link #set}, in the same context
     * @throws NullPointerException     if {@code token} is null
     * @throws IllegalArgumentException if the token comes from another variable or another
     *                                  context (Python's {@code ValueError})
     * @throws IllegalStateException    if the token was already used (Python's
     *                                  {@code RuntimeError})
     */
    public void reset(Token<T> token) {
        if (token == null) {
            throw new NullPointerException("token");
        }
        if (token.var != this) {
            throw new IllegalArgumentException(token + " was created by a different ContextVar than '" + name + "'");
        }
        Context c = Context.current();
        if (token.context != c || token.owner != Context.owner(c)) {
            throw new IllegalArgumentException(token + " was created in a different Context");
        }
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        token.used = true;
        c.values = token.old == ContextMap.MISSING ? c.values.without(this) : c.values.with(this, token.old);
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + (hasDefault ? " default=" + defaultValue : "") + "]";
    }

    /**
     * What {@link ContextVar#set} returns, to undo it with {@link ContextVar#reset}. Python's
     * {@code contextvars.Token}; usable once. It is {@link AutoCloseable}, {@link #close()}
     * being {@code reset(token)}, so {@code try (var _ = VAR.set(v)) { ... }} restores the old
     * value at the end of the block, as Python 3.14's {@code with VAR.set(v): ...} does.
     *
     * @param <T> the value type
     */
    public static final class Token<T> implements AutoCloseable {
        private final ContextVar<T> var;
        private final Context context;
        /** Who ran in {@link #context} when the token was made (see {@link Context#owner}). */
        private final Object owner;
        private final Object old;
        private boolean used;

        private Token(ContextVar<T> var, Context context, Object owner, Object old) {
            this.var = var;
            this.context = context;
            this.owner = owner;
            this.old = old;
        }

        /**
         * Python's {@code Token.var}.
         *
         * @return the variable that was set
         */
        public ContextVar<T> getVar() {
            return var;
        }

        /**
         * Python's {@code Token.old_value} being something other than {@code Token.MISSING}.
         *
         * @return true if the variable had a value before the set
         */
        public boolean hasOldValue() {
            return old != ContextMap.MISSING;
        }

        /**
         * Python's {@code Token.old_value}.
         *
         * @return the value before the set, or null if it had none (see {@link #hasOldValue})
         */
        @SuppressWarnings("unchecked")
        public T getOldValue() {
            return old == ContextMap.MISSING ? null : (T) old;
        }

        /**
         * Restores the value the variable had before the {@link ContextVar#set} that made this
         * token: {@code getVar().reset(this)}. Python 3.14's {@code Token.__exit__}. Like it, a
         * token is closed once: closing it again, or after {@code reset(token)}, throws, since a
         * second restore would undo a later {@code set} (Python's {@code RuntimeError}).
         *
         * @throws IllegalArgumentException if called in another context than the token's
         *                                  (Python's {@code ValueError}); the token stays usable
         * @throws IllegalStateException    if the token was already used
         */
        @Override
        public void close() {
            var.reset(this);
        }

        @Override
        public String toString() {
            return "Token[" + (used ? "used " : "") + "var=" + var.getName() + "]";
        }
    }
}
