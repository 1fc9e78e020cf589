package org.jasyncio;

import java.util.Arrays;

/**
 * The immutable mapping behind a {@link Context}: every change makes a new map, so a context
 * is copied by sharing its map ({@code copy_context()} is O(1), as with CPython's HAMT).
 * Programs hold few context variables, so the map is two parallel arrays searched by
 * identity; a set copies them (O(n) in the number of variables set in the context).
 */
final class ContextMap {

    /** Returned by {@link #get} for a variable that has no value in the map. */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<MISSING>";
        }
    };

    static final ContextMap EMPTY = new ContextMap(new ContextVar<?>[0], new Object[0]);

    private final ContextVar<?>[] keys;
    private final Object[] values;

    private ContextMap(ContextVar<?>[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    Object get(ContextVar<?> key) {
        ContextVar<?>[] k = keys;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == key) {
                return values[i];
            }
        }
        return MISSING;
    }

    ContextMap with(ContextVar<?> key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object[] v = values.clone();
            v[i] = value;
            return new ContextMap(keys, v);
        }
        ContextVar<?>[] k = Arrays.copyOf(keys, keys.length + 1);
        Object[] v = Arrays.copyOf(values, values.length + 1);
        k[keys.length] = key;
        v[values.length] = value;
        return new ContextMap(k, v);
    }

    ContextMap without(ContextVar<?> key) {
        int i = indexOf(key);
        if (i < 0) {
            return this;
        }
        int n = keys.length - 1;
        ContextVar<?>[] k = new ContextVar<?>[n];
        Object[] v = new Object[n];
        System.arraycopy(keys, 0, k, 0, i);
        System.arraycopy(values, 0, v, 0, i);
        System.arraycopy(keys, i + 1, k, i, n - i);
        System.arraycopy(values, i + 1, v, i, n - i);
        return new ContextMap(k, v);
    }

    int size() {
        return keys.length;
    }

    private int indexOf(ContextVar<?> key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(keys[i].getName()).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
