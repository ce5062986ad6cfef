/* v8r libmetal: intrusive doubly linked lists. */
#ifndef __METAL_LIST__H__
#define __METAL_LIST__H__

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct metal_list {
	struct metal_list *next, *prev;
};

#define METAL_INIT_LIST(name) { .next = &(name), .prev = &(name) }
#define METAL_DECLARE_LIST(name) struct metal_list name = METAL_INIT_LIST(name)

static inline void metal_list_init(struct metal_list *list)
{
	list->next = list;
	list->prev = list;
}

static inline void metal_list_add_before(struct metal_list *node, struct metal_list *new_node)
{
	new_node->prev = node->prev;
	new_node->next = node;
	new_node->next->prev = new_node;
	new_node->prev->next = new_node;
}

static inline void metal_list_add_after(struct metal_list *node, struct metal_list *new_node)
{
	new_node->prev = node;
	new_node->next = node->next;
	new_node->next->prev = new_node;
	new_node->prev->next = new_node;
}

static inline void metal_list_add_tail(struct metal_list *list, struct metal_list *node)
{
	metal_list_add_before(list, node);
}

static inline void metal_list_add_head(struct metal_list *list, struct metal_list *node)
{
	metal_list_add_after(list, node);
}

static inline int metal_list_is_empty(struct metal_list *list)
{
	return list->next == list;
}

static inline void metal_list_del(struct metal_list *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	node->next = node;
	node->prev = node;
}

/** The first node of list, or NULL when it is empty. */
static inline struct metal_list *metal_list_first(struct metal_list *list)
{
	return metal_list_is_empty(list) ? NULL : list->next;
}

#define metal_list_for_each(list, node) \
	for ((node) = (list)->next; (node) != (list); (node) = (node)->next)

/** Iterate while the loop body may delete node (temp holds the next one). */
#define metal_list_for_each_safe(list, node, temp) \
	for ((node) = (list)->next, (temp) = (node)->next; (node) != (list); (node) = (temp), (temp) = (node)->next)

static inline bool metal_list_find_node(struct metal_list *list, struct metal_list *node)
{
	struct metal_list *n;
	metal_list_for_each(list, n) {
		if (n == node)
			return true;
	}
	return false;
}

#ifdef __cplusplus
}
#endif

#endif
