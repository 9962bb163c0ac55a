// Short-term memory with people's data sealed before it reaches the store (Redis
// or this process's heap) and opened as it is read: a slot under a personal key
// (email, phone, name...) is sealed whole, any other slot, intent or pending action
// that quotes an address or a number is sealed too (cipher.sealJson). Slots stay
// separate values, so the stores keep merging them key by key, and consolidation,
// which reads through this same store, learns the clear values.
import type { PersonalDataCipher } from '../../privacy/personal-data-cipher.js';
import type { ConversationContext, ConversationContextPatch, ShortTermMemory } from './short-term-memory.js';

export function sealedShortTermMemory(store: ShortTermMemory, cipher: PersonalDataCipher): ShortTermMemory {
  const open = (context: ConversationContext | null): ConversationContext | null =>
    context && {
      ...context,
      activeIntent: cipher.openOptional(context.activeIntent),
      lastAgent: cipher.openOptional(context.lastAgent),
      extractedSlots: cipher.openJson(context.extractedSlots),
      pendingActions: cipher.openJson(context.pendingActions),
    };

  const seal = (patch: ConversationContextPatch): ConversationContextPatch => ({
    ...patch,
    ...(typeof patch.activeIntent === 'string' ? { activeIntent: cipher.sealJson(patch.activeIntent) } : {}),
    ...(patch.extractedSlots ? { extractedSlots: cipher.sealJson(patch.extractedSlots) } : {}),
    ...(patch.pendingActions ? { pendingActions: cipher.sealJson(patch.pendingActions) } : {}),
  });

  return {
    backend: store.backend,
    store: async (conversationId, patch, options) => open(await store.store(conversationId, seal(patch), options))!,
    retrieve: async (conversationId) => open(await store.retrieve(conversationId)),
    retrieveMany: async (conversationIds) => (await store.retrieveMany(conversationIds)).map(open),
    forget: (conversationId) => store.forget(conversationId),
    // An unreadable record (edited by hand) has nothing to open: consolidation reports it as it is.
    updatedSince: async (since, limit) => (await store.updatedSince(since, limit)).map((context) => (context.unreadable ? context : open(context)!)),
    recent: async (limit) => (await store.recent(limit)).map((context) => open(context)!),
    stats: () => store.stats(),
    close: () => store.close(),
  };
}
