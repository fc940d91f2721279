// The `lua_Alloc` of every sandbox: one arena per state, so that closing or abandoning the state frees everything
// it holds at once (a few chunks and the large blocks), without a header and a list link on every small block.
//
// Lua passes the size of the block on every free and realloc (`osize` when `ptr` is not NULL: "the size given when
// it was allocated or reallocated", lua_Alloc in the manual), so small blocks carry nothing: a request of up to
// `CLUA_SMALL_MAX` bytes is rounded up to its size class (16-byte steps, so every block is aligned for
// `max_align_t`), taken from that class's free list, or else cut from the current chunk by bumping a pointer.
// Chunks come from malloc and grow geometrically up to `CLUA_CHUNK_MAX`; a freed small block goes onto its class's
// free list (its first word is the link). Larger blocks come from malloc with a `clua_block` header that keeps them
// on the arena's doubly linked list.
//
// Memory: the limit counts the bytes Lua asks for, as it did with one malloc per block (`memory_used`, the limit's
// checks and errors are the same). A free list keeps its blocks for its own class, so a config that fills the heap
// with blocks of one size, drops them and then fills it with another could hold more than the limit in chunks:
// the chunks may hold at most twice the limit (plus one chunk), and a new chunk past that is refused as the memory
// limit. Rounding up to a class adds at most 15 bytes to a block; Lua's objects take 24 bytes and up.
//
// The deadline's jump (sandbox.c) cannot leave the arena inconsistent. The jump only happens from the timer signal
// when the interrupted PC is in liblua's own text, and never in an `in_libc` region; everything here runs in this
// object's text, and liblua never runs inside it (the allocator calls nothing of Lua's), so while the PC is in
// liblua no arena operation is half done. Only when liblua is not a separate object (a fully static binary, where
// any PC counts as liblua's) can the jump land in this code: then the two lists that `clua_arena_release` walks
// (chunks and large blocks) are changed only inside `in_libc` regions together with the malloc or free that goes
// with the change, and what a jump can cut short outside them (a free-list push or pop, a bump) only concerns
// memory inside the chunks, which are freed whole. The jumps the allocator takes itself (the memory limit) happen
// before it changes anything.
//
// Under AddressSanitizer there is no arena: every block is a malloc of its own on the large-block list (the path
// all blocks took before the arena), so that ASan's redzones around each block still catch overflows.

#include "internal.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLUA_ARENA_DISABLED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CLUA_ARENA_DISABLED 1
#endif

/// Size classes are multiples of this; it is a multiple of `max_align_t`'s alignment.
#define CLUA_CLASS_STEP 16
#ifdef CLUA_ARENA_DISABLED
#define CLUA_SMALL_MAX 0
#else
/// The largest block that comes from the chunks.
#define CLUA_SMALL_MAX (CLUA_CLASS_STEP * CLUA_SMALL_CLASSES)
#endif
/// The first chunk's size (a fresh state with the libraries open takes about a third of it), and the cap of the
/// doubling.
#define CLUA_CHUNK_MIN ((size_t)64 << 10)
#define CLUA_CHUNK_MAX ((size_t)4 << 20)

_Static_assert(CLUA_CLASS_STEP % _Alignof(max_align_t) == 0, "size classes keep max_align_t alignment");
_Static_assert(sizeof(clua_block) % _Alignof(max_align_t) == 0, "large blocks keep max_align_t alignment");
_Static_assert(sizeof(clua_chunk) % _Alignof(max_align_t) == 0, "chunks keep max_align_t alignment");

void clua_arena_init(clua_arena *arena, size_t memory_limit) {
    memset(arena, 0, sizeof *arena);
    arena->large.next = &arena->large;
    arena->large.prev = &arena->large;
    arena->next_chunk_size = CLUA_CHUNK_MIN;
    size_t twice = memory_limit > SIZE_MAX / 2 ? SIZE_MAX : memory_limit * 2;
    arena->chunk_limit = twice > SIZE_MAX - CLUA_CHUNK_MAX ? SIZE_MAX : twice + CLUA_CHUNK_MAX;
}

void clua_arena_release(clua_arena *arena) {
    clua_chunk *chunk = arena->chunks;
    while (chunk) {
        clua_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    clua_block *block = arena->large.next;
    while (block != &arena->large) {
        clua_block *next = block->next;
        free(block);
        block = next;
    }
    clua_arena_init(arena, 0);
}

static void clua_unlink(clua_block *block) {
    block->prev->next = block->next;
    block->next->prev = block->prev;
}

static void clua_link(clua_arena *arena, clua_block *block) {
    block->next = arena->large.next;
    block->prev = &arena->large;
    arena->large.next->prev = block;
    arena->large.next = block;
}

/// Refuses an allocation as the memory limit: leaves for the guard when that is safe, else fails it.
static void *clua_refuse(clua_sandbox *sb) {
    if (sb->armed && !sb->in_host && sb->in_libc == 0) clua_escape(sb, CLUA_LIMIT_MEMORY);
    if (sb->limit == CLUA_LIMIT_NONE) sb->limit = CLUA_LIMIT_MEMORY;
    return NULL;
}

/// A request that does not fit: refused the first time without leaving (NULL, nothing else changed), so that Lua
/// runs its emergency collection (a full collection that runs no Lua code: no finalizer, no hook) and asks again;
/// `clua_retried` then decides, and a retry that still does not fit is the memory limit. So garbage is collected
/// before a request is refused, as Lua's own allocator contract expects (without it, a config whose kept heap
/// and garbage together passed the limit before the collector's next cycle failed). Until Lua asks again the
/// refusal is pending: the count hook and the guard take a pending refusal as the memory limit (Lua raised "not
/// enough memory" instead of collecting, as the auxiliary library's buffers do).
static void *clua_over_limit(clua_sandbox *sb, void *ptr, size_t osize, size_t nsize) {
    sb->refusal_pending = 1;
    sb->refused_block = ptr;
    sb->refused_osize = osize;
    sb->refused_nsize = nsize;
    return NULL;
}

/// The first growing request after a refusal: whether it is Lua asking again for the refused request after its
/// collection. Any other request means Lua did not collect and ask again, so the refusal stands.
static int clua_retried(clua_sandbox *sb, void *ptr, size_t osize, size_t nsize) {
    sb->refusal_pending = 0;
    return ptr == sb->refused_block && osize == sb->refused_osize && nsize == sb->refused_nsize;
}

static size_t clua_class_of(size_t size) { return (size + CLUA_CLASS_STEP - 1) / CLUA_CLASS_STEP; }

/// Starts a new chunk big enough for `bytes`; what is left of the current one goes onto the free list of its size
/// (a small class: it is less than `bytes`, at most `CLUA_SMALL_MAX`, and a multiple of the step).
static int clua_grow(clua_sandbox *sb, size_t bytes) {
    clua_arena *arena = &sb->arena;
    size_t size = arena->next_chunk_size;
    if (size - sizeof(clua_chunk) < bytes) size = sizeof(clua_chunk) + bytes;
    if (size > arena->chunk_limit - arena->chunk_bytes) {
        clua_refuse(sb);
        return 0;
    }
    sb->in_libc++;
    clua_chunk *chunk = (clua_chunk *)malloc(size);
    if (chunk) {
        chunk->next = arena->chunks;
        arena->chunks = chunk;
        arena->chunk_bytes += size;
    }
    sb->in_libc--;
    if (!chunk) return 0;
    size_t left = (size_t)(arena->bump_end - arena->bump);
    if (left >= CLUA_CLASS_STEP) {
        size_t class = left / CLUA_CLASS_STEP;
        *(void **)arena->bump = arena->free_lists[class];
        arena->free_lists[class] = arena->bump;
    }
    arena->bump = (char *)(chunk + 1);
    arena->bump_end = (char *)chunk + size;
    if (arena->next_chunk_size < CLUA_CHUNK_MAX) arena->next_chunk_size *= 2;
    return 1;
}

static void *clua_small_allocate(clua_sandbox *sb, size_t size) {
    clua_arena *arena = &sb->arena;
    size_t class = clua_class_of(size);
    void *block = arena->free_lists[class];
    if (block) {
        arena->free_lists[class] = *(void **)block;
        return block;
    }
    size_t bytes = class * CLUA_CLASS_STEP;
    if ((size_t)(arena->bump_end - arena->bump) < bytes && !clua_grow(sb, bytes)) return NULL;
    block = arena->bump;
    arena->bump += bytes;
    return block;
}

static void clua_small_free(clua_arena *arena, void *block, size_t size) {
    size_t class = clua_class_of(size);
    *(void **)block = arena->free_lists[class];
    arena->free_lists[class] = block;
}

/// Resizes (or, with `block` NULL, allocates) a large block; NULL when malloc fails, the old block intact.
static void *clua_large_reallocate(clua_sandbox *sb, void *pointer, size_t size) {
    if (size > SIZE_MAX - sizeof(clua_block)) return NULL;
    clua_block *block = pointer ? ((clua_block *)pointer) - 1 : NULL;
    sb->in_libc++;
    if (block) clua_unlink(block);
    clua_block *fresh = (clua_block *)realloc(block, sizeof(clua_block) + size);
    if (fresh) clua_link(&sb->arena, fresh);
    else if (block) clua_link(&sb->arena, block);
    sb->in_libc--;
    return fresh ? fresh + 1 : NULL;
}

static void clua_large_free(clua_sandbox *sb, void *pointer) {
    clua_block *block = ((clua_block *)pointer) - 1;
    sb->in_libc++;
    clua_unlink(block);
    free(block);
    sb->in_libc--;
}

static void clua_free(clua_sandbox *sb, void *pointer, size_t size) {
    if (size <= CLUA_SMALL_MAX) clua_small_free(&sb->arena, pointer, size);
    else clua_large_free(sb, pointer);
}

/// A block of `nsize` bytes holding the first bytes of `pointer` (of `osize`), which is freed; NULL on failure.
static void *clua_move(clua_sandbox *sb, void *pointer, size_t osize, size_t nsize) {
    void *fresh = nsize <= CLUA_SMALL_MAX ? clua_small_allocate(sb, nsize) : clua_large_reallocate(sb, NULL, nsize);
    if (!fresh) return NULL;
    if (pointer) {
        memcpy(fresh, pointer, osize < nsize ? osize : nsize);
        clua_free(sb, pointer, osize);
    }
    return fresh;
}

void *clua_allocate(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_sandbox *sb = (clua_sandbox *)ud;
    size_t old_size = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) {
            clua_free(sb, ptr, old_size);
            sb->memory_used -= old_size;
            if (sb->pending) clua_take_pending(sb);
        }
        return NULL;
    }
    if (nsize > old_size) {
        int fits = nsize - old_size <= sb->memory_limit - sb->memory_used;
        int retry = 0;
        if (sb->refusal_pending) {
            retry = clua_retried(sb, ptr, osize, nsize);
            if (!retry) return clua_refuse(sb);
        }
        if (!fits) return retry ? clua_refuse(sb) : clua_over_limit(sb, ptr, osize, nsize);
    }
    void *fresh;
    if (ptr && old_size > CLUA_SMALL_MAX && nsize > CLUA_SMALL_MAX) fresh = clua_large_reallocate(sb, ptr, nsize);
    else if (ptr && old_size <= CLUA_SMALL_MAX && nsize <= CLUA_SMALL_MAX
             && clua_class_of(old_size) == clua_class_of(nsize))
        fresh = ptr;
    else fresh = clua_move(sb, ptr, old_size, nsize);
    if (!fresh) return NULL;
    sb->memory_used = sb->memory_used - old_size + nsize;
    if (sb->memory_used > sb->memory_peak) sb->memory_peak = sb->memory_used;
    if (sb->pending) clua_take_pending(sb);
    return fresh;
}

int clua_pools_small_blocks(void) { return CLUA_SMALL_MAX > 0; }
