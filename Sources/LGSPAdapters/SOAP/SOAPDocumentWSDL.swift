/// The WSDL 1.1 of the SOAP document service: document/literal wrapped, the message schema inline,
/// a SOAP 1.1 port (`DocumentsSoap11`, the default) and a SOAP 1.2 port (`DocumentsSoap12`).
public enum SOAPDocumentWSDL {
    /// The WSDL with `location` (the absolute URL of `/soap/documents`) as both ports' address.
    public static func document(location: String) -> String {
        let ns = SOAPDocumentService.namespace
        let address = SOAPText.escape(location)
        let operations = SOAPDocumentOperation.allCases.map(\.rawValue)
        let messages = operations.map { name in
            """
              <wsdl:message name="\(name)Input"><wsdl:part name="parameters" element="tns:\(name)"/></wsdl:message>
              <wsdl:message name="\(name)Output"><wsdl:part name="parameters" element="tns:\(name)Response"/></wsdl:message>
            """
        }.joined(separator: "\n")
        let portOperations = operations.map { name in
            """
                <wsdl:operation name="\(name)">
                  <wsdl:input message="tns:\(name)Input"/>
                  <wsdl:output message="tns:\(name)Output"/>
                  <wsdl:fault name="Error" message="tns:ErrorFault"/>
                </wsdl:operation>
            """
        }.joined(separator: "\n")
        func binding(_ prefix: String) -> String {
            operations.map { name in
                """
                    <wsdl:operation name="\(name)">
                      <\(prefix):operation soapAction="\(ns)/\(name)" style="document"/>
                      <wsdl:input><\(prefix):body use="literal"/></wsdl:input>
                      <wsdl:output><\(prefix):body use="literal"/></wsdl:output>
                      <wsdl:fault name="Error"><\(prefix):fault name="Error" use="literal"/></wsdl:fault>
                    </wsdl:operation>
                """
            }.joined(separator: "\n")
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- lgsp SOAP document service: edXML documents (QCVN 102:2016) for legacy document-management systems.
                 Caller identity: WS-Security UsernameToken with PasswordDigest (Username = access key, password = secret key),
                 or an HTTP signature (AWS SigV4, RFC 9421, OAuth 1.0a) on the POST. Faults carry the hub's error code in detail/Error/Code. -->
            <wsdl:definitions name="LGSPDocumentService" targetNamespace="\(ns)"
                xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
                xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="\(ns)">
              <wsdl:types>
                <xs:schema targetNamespace="\(ns)" elementFormDefault="qualified">
                  <xs:element name="SendDocument">
                    <xs:annotation><xs:documentation>An edXML document (the whole file, attachments inline as AttachmentEncoded), base64.</xs:documentation></xs:annotation>
                    <xs:complexType><xs:sequence><xs:element name="Document" type="xs:base64Binary"/></xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="SendDocumentResponse">
                    <xs:complexType><xs:sequence>
                      <xs:element name="DocumentId" type="xs:string"/>
                      <xs:element name="EdXMLDocumentId" type="xs:string"/>
                      <xs:element name="BusinessType" type="xs:string"/>
                      <xs:element name="State" type="xs:string"/>
                      <xs:element name="Replayed" type="xs:boolean"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="GetPendingDocumentIds">
                    <xs:complexType><xs:sequence><xs:element name="Limit" type="xs:int" minOccurs="0"/></xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="GetPendingDocumentIdsResponse">
                    <xs:complexType><xs:sequence><xs:element name="DocumentId" type="xs:string" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="GetDocument">
                    <xs:complexType><xs:sequence><xs:element name="DocumentId" type="xs:string"/></xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="GetDocumentResponse">
                    <xs:complexType><xs:sequence>
                      <xs:element name="DocumentId" type="xs:string"/>
                      <xs:element name="From" type="xs:string"/>
                      <xs:element name="Subject" type="xs:string"/>
                      <xs:element name="Priority" type="xs:string"/>
                      <xs:element name="Sha256" type="xs:string"/>
                      <xs:element name="Document" type="xs:base64Binary"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="ConfirmReceived">
                    <xs:complexType><xs:sequence><xs:element name="DocumentId" type="xs:string"/></xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="ConfirmReceivedResponse">
                    <xs:complexType><xs:sequence>
                      <xs:element name="DocumentId" type="xs:string"/>
                      <xs:element name="State" type="xs:string"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="UpdateTraces">
                    <xs:annotation><xs:documentation>An edXML status packet (StatusCode 01…06, 13, 15, 16) for a received document, base64.</xs:documentation></xs:annotation>
                    <xs:complexType><xs:sequence>
                      <xs:element name="DocumentId" type="xs:string"/>
                      <xs:element name="StatusDocument" type="xs:base64Binary"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="UpdateTracesResponse">
                    <xs:complexType><xs:sequence>
                      <xs:element name="DocumentId" type="xs:string"/>
                      <xs:element name="StatusCode" type="xs:string"/>
                      <xs:element name="State" type="xs:string"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="GetTraces">
                    <xs:complexType><xs:sequence><xs:element name="DocumentId" type="xs:string"/></xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:element name="GetTracesResponse">
                    <xs:complexType><xs:sequence>
                      <xs:element name="DocumentId" type="xs:string"/>
                      <xs:element name="Trace" type="tns:TraceType" minOccurs="0" maxOccurs="unbounded"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                  <xs:complexType name="TraceType">
                    <xs:sequence>
                      <xs:element name="OrganId" type="xs:string"/>
                      <xs:element name="StatusCode" type="xs:string"/>
                      <xs:element name="StatusName" type="xs:string"/>
                      <xs:element name="Description" type="xs:string" minOccurs="0"/>
                      <xs:element name="Staff" type="xs:string" minOccurs="0"/>
                      <xs:element name="Timestamp" type="xs:dateTime" minOccurs="0"/>
                      <xs:element name="RecordedAt" type="xs:dateTime"/>
                    </xs:sequence>
                  </xs:complexType>
                  <xs:element name="Error">
                    <xs:annotation><xs:documentation>The hub's stable error code (docs/ERRORS.md), as in REST problem documents.</xs:documentation></xs:annotation>
                    <xs:complexType><xs:sequence>
                      <xs:element name="Code" type="xs:string"/>
                      <xs:element name="Message" type="xs:string"/>
                      <xs:element name="Field" type="xs:string" minOccurs="0"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                </xs:schema>
              </wsdl:types>
            \(messages)
              <wsdl:message name="ErrorFault"><wsdl:part name="fault" element="tns:Error"/></wsdl:message>
              <wsdl:portType name="DocumentsPortType">
            \(portOperations)
              </wsdl:portType>
              <wsdl:binding name="DocumentsSoap11Binding" type="tns:DocumentsPortType">
                <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
            \(binding("soap"))
              </wsdl:binding>
              <wsdl:binding name="DocumentsSoap12Binding" type="tns:DocumentsPortType">
                <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
            \(binding("soap12"))
              </wsdl:binding>
              <wsdl:service name="LGSPDocumentService">
                <wsdl:port name="DocumentsSoap11" binding="tns:DocumentsSoap11Binding"><soap:address location="\(address)"/></wsdl:port>
                <wsdl:port name="DocumentsSoap12" binding="tns:DocumentsSoap12Binding"><soap12:address location="\(address)"/></wsdl:port>
              </wsdl:service>
            </wsdl:definitions>

            """
    }
}
