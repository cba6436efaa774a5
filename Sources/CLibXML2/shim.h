// The parts of libxml2 (2.9+) that LGSPTransform uses, plus small C helpers Swift cannot express.
//
// Why helpers: `xmlFree` is a C global variable holding a function pointer, which Swift 6 refuses as
// not concurrency-safe (STACK.md pitfall 3); and the parse guards below must run inside libxml2's SAX
// callbacks, before a hostile construct is expanded, which is simplest in C.
#ifndef LGSP_CLIBXML2_SHIM_H
#define LGSP_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, so its encoding.h would pull in the system's
// <unicode/ucnv.h>; Foundation on Linux brings its own ICU (_FoundationICU) whose UErrorCode differs,
// and a clean build then fails with "'U_MF_…' from module '_FoundationICU' is not present in
// definition of 'enum UErrorCode' in module 'CLibXML2'". Nothing here uses libxml2's ICU converters
// (only pointers to encoding handlers pass through), so the ICU part of its headers is left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/uri.h>

/// Frees memory that libxml2 allocated (strings from xmlNodeGetContent, dumps, …).
static inline void lgsp_xml_free(void *pointer) { xmlFree(pointer); }

/// Why a guarded parse stopped early; 0 when it did not.
enum {
    LGSP_GUARD_NONE = 0,
    LGSP_GUARD_DOCTYPE = 1,
    LGSP_GUARD_DEPTH = 2,
    LGSP_GUARD_ATTRIBUTE_LENGTH = 3,
    LGSP_GUARD_ATTRIBUTE_COUNT = 4,
    LGSP_GUARD_ELEMENT_COUNT = 5,
};

/// Limits checked during a parse, and the first one broken (`violation`, with the line where it was).
typedef struct {
    int maxDepth;
    int maxAttributeLength;
    int maxAttributes;
    long maxElements;
    long elements;
    int violation;
    int line;
} lgsp_parse_guard;

// A DOCTYPE is refused as soon as it starts: entity declarations (billion laughs, quadratic
// blow-up) and external identifiers (XXE) all live in it, and no payload we accept needs one.
static void lgsp_guard_internal_subset(void *context, const xmlChar *name, const xmlChar *externalID,
                                       const xmlChar *systemID) {
    (void)name; (void)externalID; (void)systemID;
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)context;
    lgsp_parse_guard *guard = (lgsp_parse_guard *)ctxt->_private;
    if (guard != NULL && guard->violation == LGSP_GUARD_NONE) {
        guard->violation = LGSP_GUARD_DOCTYPE;
        guard->line = xmlSAX2GetLineNumber(context);
    }
    xmlStopParser(ctxt);
}

static void lgsp_guard_start_element(void *context, const xmlChar *localname, const xmlChar *prefix,
                                     const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
                                     int nb_attributes, int nb_defaulted, const xmlChar **attributes) {
    xmlParserCtxtPtr ctxt = (xmlParserCtxtPtr)context;
    lgsp_parse_guard *guard = (lgsp_parse_guard *)ctxt->_private;
    if (guard != NULL) {
        int violation = LGSP_GUARD_NONE;
        guard->elements += 1;
        if (ctxt->nameNr > guard->maxDepth) {
            violation = LGSP_GUARD_DEPTH;
        } else if (guard->elements > guard->maxElements) {
            violation = LGSP_GUARD_ELEMENT_COUNT;
        } else if (nb_attributes + nb_namespaces > guard->maxAttributes) {
            violation = LGSP_GUARD_ATTRIBUTE_COUNT;
        } else {
            // SAX2: five pointers per attribute (localname, prefix, URI, value, end).
            for (int i = 0; i < nb_attributes; i++) {
                const xmlChar *value = attributes[i * 5 + 3];
                const xmlChar *end = attributes[i * 5 + 4];
                if (end - value > guard->maxAttributeLength) { violation = LGSP_GUARD_ATTRIBUTE_LENGTH; break; }
            }
        }
        if (violation != LGSP_GUARD_NONE) {
            if (guard->violation == LGSP_GUARD_NONE) {
                guard->violation = violation;
                guard->line = xmlSAX2GetLineNumber(context);
            }
            xmlStopParser(ctxt);
            return;
        }
    }
    xmlSAX2StartElementNs(context, localname, prefix, URI, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
}

// Errors are collected from the context (xmlCtxtGetLastError), never printed on stderr.
static void lgsp_silent_structured_error(void *userData, xmlErrorPtr error) { (void)userData; (void)error; }

static void lgsp_silent_generic_error(void *context, const char *message, ...) { (void)context; (void)message; }

/// Stops libxml2 from printing errors on stderr from this thread (its handlers are per thread);
/// errors are read from contexts or collected through structured callbacks instead.
static inline void lgsp_silence_thread_errors(void) {
    xmlSetGenericErrorFunc(NULL, lgsp_silent_generic_error);
    xmlSetStructuredErrorFunc(NULL, lgsp_silent_structured_error);
}

/// Installs the guard on a parser context created by xmlNewParserCtxt.
static inline void lgsp_install_guard(xmlParserCtxtPtr ctxt, lgsp_parse_guard *guard) {
    ctxt->_private = guard;
    ctxt->sax->internalSubset = lgsp_guard_internal_subset;
    ctxt->sax->startElementNs = lgsp_guard_start_element;
    ctxt->sax->serror = lgsp_silent_structured_error;
    ctxt->sax->error = NULL;
    ctxt->sax->warning = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
}

/// The string value of an XPath object's first node, or NULL (free with lgsp_xml_free).
static inline xmlChar *lgsp_xpath_node_content(xmlXPathObjectPtr object, int index) {
    if (object == NULL || object->nodesetval == NULL || index >= object->nodesetval->nodeNr) return NULL;
    return xmlNodeGetContent(object->nodesetval->nodeTab[index]);
}

/// The number of nodes in an XPath node-set result (0 for other result types).
static inline int lgsp_xpath_node_count(xmlXPathObjectPtr object) {
    if (object == NULL || object->nodesetval == NULL) return 0;
    return object->nodesetval->nodeNr;
}

/// The node at `index` of an XPath node-set result.
static inline xmlNodePtr lgsp_xpath_node(xmlXPathObjectPtr object, int index) {
    return object->nodesetval->nodeTab[index];
}

#endif
